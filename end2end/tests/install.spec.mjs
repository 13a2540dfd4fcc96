// Installability (issue 6): Chromium's own check finds nothing stopping it from offering to
// install the app. It only answers in a profile on disk (an incognito context is never
// installable), so this test launches a persistent context of its own.
import { test, expect } from '@playwright/test';
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunch } from '../playwright.config.mjs';

test('Chromium finds the app installable: manifest, icons and service worker pass its checks', async ({ baseURL }) => {
  const profile = mkdtempSync(join(tmpdir(), 'goals-install-'));
  const context = await chromium.launchPersistentContext(profile, { ...chromiumLaunch, headless: true, baseURL });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true', { timeout: 20_000 });
    // The worker must be active for the check to count it.
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    expect(new URL(manifest.url).pathname).toBe('/manifest.webmanifest');
    // Chromium reads the manifest in the background: ask until it has an answer with no errors
    // (an unreadable manifest, a missing icon or name would stay in the list).
    await expect
      .poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors.map((e) => e.errorId), {
        timeout: 15_000,
      })
      .toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
