// Links that do not lead to a sheet.
import { test, expect } from '@playwright/test';
import { base58check, randomDocumentId, trackErrors, waitOnline } from './helpers.mjs';
import { randomBytes } from 'node:crypto';

test('a malformed sheet link shows an error', async ({ page }) => {
  const errors = trackErrors(page.context());
  await page.goto('/sheet/garbage');
  await expect(page.getByRole('alert')).toContainText('“garbage” is not a sheet link.');
  // Still so once the page runs in the browser.
  await waitOnline(page);
  await expect(page.getByRole('alert')).toContainText('is not a sheet link');
  await expect(page.getByTestId('sheet-title')).toHaveCount(0);

  // Well-formed base58check, but not 16 bytes.
  const short = base58check(randomBytes(8));
  await page.goto(`/sheet/${short}`);
  await expect(page.getByRole('alert')).toContainText('is not a sheet link');
  expect(errors).toEqual([]);
});

test('a sheet nobody has is reported unavailable once the relay answers', async ({ page }) => {
  const errors = trackErrors(page.context());
  const id = randomDocumentId();
  await page.goto(`/sheet/${id}`);
  await expect(page.getByTestId('unavailable')).toBeVisible();
  await expect(page.getByTestId('net-status')).toHaveText('Online');
  await expect(page.getByTestId('fetching')).toHaveCount(0);
  await expect(page.getByTestId('sheet-title')).toHaveCount(0);
  expect(errors).toEqual([]);
});
