// Browser tests of the goal-sheet app: Playwright driving Debian's Chromium (never a downloaded
// browser) against a goals-server started for the run, with a fresh data directory.
//
//   cd end2end && npx playwright test
//
// Environment: GOALS_SERVER_BIN (server binary; default target/release/goals-server if built,
// else target/debug/goals-server), GOALS_E2E_PORT (default 3100), CHROMIUM (default
// /usr/bin/chromium).
import { defineConfig } from '@playwright/test';

const port = Number(process.env.GOALS_E2E_PORT || 3100);

export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    launchOptions: chromiumLaunch,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 10_000,
  },
  webServer: {
    command: `node support/server.mjs ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGINT', timeout: 5_000 },
  },
});
