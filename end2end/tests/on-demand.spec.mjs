// The views fetched on demand: the steps other than the goals, the print view, the knowledge
// base and the identity forms of "Me" are in a wasm chunk of their own (scripts/build splits it
// out), fetched the first time one of them is shown; a view from it that cannot be loaded says
// so. (The signatures are verified by the repo's engine, in a chunk of its own: see
// engine.spec.mjs.)
import { test, expect } from '@playwright/test';
import { createSheet, trackErrors } from './helpers.mjs';

const CHUNK = '**/pkg/split_on_demand.*.wasm';

test('the on-demand chunk is fetched when a step needs it, and a step says so if it cannot be', async ({ browser }) => {
  // No service worker: the chunk can only come from the network here.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const errors = trackErrors(context);
  const page = await context.newPage();
  const chunk = [];
  page.on('request', (r) => {
    if (/\/pkg\/split_on_demand\..*\.wasm$/.test(new URL(r.url()).pathname)) chunk.push(r.url());
  });

  // The chunk cannot be fetched: the sheet opens and its goals (in the first download) work.
  await context.route(CHUNK, (route) => route.abort());
  await createSheet(page, { title: 'On demand' });
  // The sheet and its goals need nothing from it.
  await page.getByTestId('sheet-title').fill('On demand, still editable');
  await expect(page.getByTestId('sheet-title')).toHaveValue('On demand, still editable');

  expect(chunk).toEqual([]);

  // A step in the chunk asks for it, says it could not be loaded, and the app keeps working.
  await page.getByTestId('tab-assessment').click();
  await expect(page.getByTestId('not-loaded')).toBeVisible();
  expect(chunk.length).toBeGreaterThan(0);
  await page.getByTestId('tab-goals').click();
  await page.getByTestId('sheet-title').fill('On demand, editable again');
  await expect(page.getByTestId('sheet-title')).toHaveValue('On demand, editable again');

  // Once it can, opening the step again loads it, and the signatures are verified.
  await context.unroute(CHUNK);
  await page.getByTestId('tab-assessment').click();
  await expect(page.getByTestId('assess-goals')).toBeVisible();
  await expect(page.getByTestId('not-loaded')).toHaveCount(0);
  await page.getByTestId('tab-follow-up').click();
  await expect(page.getByTestId('cadence')).toBeVisible();
  await page.getByTestId('tab-confirm').click();
  for (const role of ['employee', 'manager']) {
    await expect(page.getByTestId(`signature-state-${role}`).locator('[data-state]')).toHaveAttribute('data-state', 'missing');
  }

  // The aborted fetches are the only errors: Chromium's line for each, and the chunk loader's.
  expect(errors.length).toBeGreaterThanOrEqual(2);
  for (const e of errors) {
    expect(e).toMatch(/console\.error: (Failed to load resource: net::ERR_FAILED|TypeError: Failed to fetch\n\s+at .*\/pkg\/__wasm_split\.js)/);
  }
  await context.close();
});
