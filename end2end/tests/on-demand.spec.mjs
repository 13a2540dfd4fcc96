// The views fetched on demand: the steps other than the goals, the print view and the knowledge
// base are in a wasm chunk of their own (scripts/build splits it out), loaded when first shown.
import { test, expect } from '@playwright/test';
import { createSheet, trackErrors } from './helpers.mjs';

test('a step in the on-demand chunk loads when first opened, and says so if it cannot', async ({ browser }) => {
  // No service worker: the chunk can only come from the network here.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const errors = trackErrors(context);
  const page = await context.newPage();
  const chunk = [];
  page.on('request', (r) => {
    if (/\/pkg\/split_.*\.wasm$/.test(new URL(r.url()).pathname)) chunk.push(r.url());
  });
  await createSheet(page, { title: 'On demand' });
  // The goals are in the first download: opening the sheet fetched no chunk.
  expect(chunk).toEqual([]);

  // The chunk cannot be fetched: the step says so, and the app keeps working.
  await context.route('**/pkg/split_*.wasm', (route) => route.abort());
  await page.getByTestId('tab-assessment').click();
  await expect(page.getByTestId('not-loaded')).toBeVisible();
  await page.getByTestId('tab-goals').click();
  await page.getByTestId('sheet-title').fill('On demand, still editable');
  await expect(page.getByTestId('sheet-title')).toHaveValue('On demand, still editable');

  // Once it can, opening the step again loads it.
  await context.unroute('**/pkg/split_*.wasm');
  await page.getByTestId('tab-assessment').click();
  await expect(page.getByTestId('assess-goals')).toBeVisible();
  await expect(page.getByTestId('not-loaded')).toHaveCount(0);
  await page.getByTestId('tab-follow-up').click();
  await expect(page.getByTestId('cadence')).toBeVisible();

  // The aborted fetch is the only error: Chromium's line for it, and the chunk loader's.
  expect(errors).toHaveLength(2);
  expect(errors[0]).toContain('console.error: Failed to load resource: net::ERR_FAILED');
  expect(errors[1]).toMatch(/console\.error: TypeError: Failed to fetch\n\s+at .*\/pkg\/__wasm_split\.js/);
  await context.close();
});
