// The repo's engine (Automerge, edits, signatures, the relay connection) is a wasm chunk of its
// own, fetched right after hydration. Until it is there, the sheet list and every sheet show
// from the snapshot kept beside each document, read-only; a snapshot that does not belong to the
// stored document (missing, older, damaged) is never shown, and the engine fills the page in.
// Here the chunk's requests are held back (no service worker, so that page.route sees them) and
// then let through.
import { test, expect } from '@playwright/test';
import { addGoal, createSheet, field, netStatus, row, rows, sheetCard, trackErrors, waitOnline } from './helpers.mjs';

const ENGINE = '**/pkg/split_engine.*.wasm';

const snapshotKey = (id) => `goals:snapshot:${id}`;

/** Hold the page's requests for the engine's chunk until `release()`. */
async function holdEngine(page) {
  let release;
  const gate = new Promise((resolve) => {
    release = resolve;
  });
  const held = [];
  await page.route(ENGINE, async (route) => {
    held.push(route.request().url());
    await gate;
    await route.continue().catch(() => {});
  });
  return { held, release: () => release() };
}

test('before the engine arrives the list and a sheet show from their snapshot, read-only; then the sheet is editable and nothing is lost', async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const errors = trackErrors(context);
  const a = await context.newPage();
  const { id, url } = await createSheet(a, { title: 'Before the engine' });
  await addGoal(a, { name: 'From the snapshot', weight: '100' });
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  expect(await a.evaluate((k) => localStorage.getItem(k), snapshotKey(id))).toContain('From the snapshot');

  // A second tab, whose engine is held back: it was asked for right after hydration.
  const b = await context.newPage();
  const engine = await holdEngine(b);
  await b.goto('/');
  await expect(b.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expect.poll(() => engine.held.length).toBeGreaterThan(0);
  await expect(sheetCard(b, id)).toContainText('Before the engine');
  await expect(sheetCard(b, id)).toContainText('1 goals · weights 100%');
  await expect(netStatus(b)).toHaveText('Connecting…');
  // A new sheet needs the engine.
  await expect(b.getByTestId('new-sheet-form').locator('button[type=submit]')).toBeDisabled();

  // The sheet, from its snapshot: shown, and read-only.
  await sheetCard(b, id).click();
  await b.waitForURL(url);
  const name = field(row(b, 0), 'name');
  await expect(name).toHaveValue('From the snapshot');
  await expect(name).toBeDisabled();
  await expect(b.getByTestId('sheet-title')).toHaveValue('Before the engine');
  await expect(b.getByTestId('sheet-title')).toBeDisabled();
  await expect(b.getByTestId('add-goal')).toBeDisabled();
  await expect(b.getByTestId('doc-status')).toHaveText('Saved on this device · starting…');
  // Its steps can be looked at; its signatures are not judged from storage.
  await b.getByTestId('tab-confirm').click();
  for (const role of ['employee', 'manager']) {
    await expect(b.getByTestId(`signature-state-${role}`).locator('[data-state]')).toHaveAttribute('data-state', 'verifying');
  }
  await b.getByTestId('tab-goals').click();
  await expect(name).toBeDisabled();

  // The other tab edits: its save (and snapshot) shows here, still read-only.
  await field(row(a, 0), 'name').fill('Edited while the engine was on its way');
  await expect(name).toHaveValue('Edited while the engine was on its way');
  await expect(name).toBeDisabled();

  // The engine arrives: it reads the document itself, and the page becomes editable.
  engine.release();
  await expect(name).toBeEnabled();
  await waitOnline(b);
  await expect(b.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  await expect(name).toHaveValue('Edited while the engine was on its way');
  // An edit at once is kept: the other tab has it, and so does a reload.
  await field(row(b, 0), 'measure').fill('Typed as soon as it could be');
  await expect(field(row(a, 0), 'measure')).toHaveValue('Typed as soon as it could be');
  await b.reload();
  await expect(field(row(b, 0), 'measure')).toHaveValue('Typed as soon as it could be');
  await expect(field(row(b, 0), 'name')).toHaveValue('Edited while the engine was on its way');
  await expect(field(row(b, 0), 'name')).toBeEnabled();

  expect(errors).toEqual([]);
  await context.close();
});

test('a snapshot that is missing, older than its document or damaged is never shown: the engine reads the sheet, and writes a new one', async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const errors = trackErrors(context);
  const a = await context.newPage();
  const older = await createSheet(a, { title: 'Older snapshot' });
  await addGoal(a, { name: 'Old name', weight: '100' });
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  const stale = await a.evaluate((k) => localStorage.getItem(k), snapshotKey(older.id));
  await field(row(a, 0), 'name').fill('New name');
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  const missing = await createSheet(a, { title: 'No snapshot' });
  await addGoal(a, { name: 'Saved by an older version', weight: '100' });
  const damaged = await createSheet(a, { title: 'Damaged snapshot' });
  await addGoal(a, { name: 'Under a damaged snapshot', weight: '100' });
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // From the home page (nothing being saved): an older snapshot back in place, one removed (as
  // an older version of the app saved), one cut short.
  await a.goto('/');
  await waitOnline(a);
  await a.evaluate(([k1, v1, k2, k3]) => {
    localStorage.setItem(k1, v1);
    localStorage.removeItem(k2);
    localStorage.setItem(k3, localStorage.getItem(k3).slice(0, 40));
  }, [snapshotKey(older.id), stale, snapshotKey(missing.id), snapshotKey(damaged.id)]);
  await a.close();

  // Without the engine: the list waits (it would miss sheets), the sheets wait, and the older
  // content is never shown.
  const b = await context.newPage();
  const engine = await holdEngine(b);
  await b.goto(older.url);
  await expect(b.locator('html')).toHaveAttribute('data-hydrated', 'true');
  await expect.poll(() => engine.held.length).toBeGreaterThan(0);
  await expect(b.getByText('Reading the sheet…')).toBeVisible();
  await expect(rows(b)).toHaveCount(0);
  await b.getByRole('link', { name: 'Goal sheets' }).click();
  await expect(b.getByTestId('sheet-list-loading')).toBeVisible();

  // The engine reads them all.
  engine.release();
  await expect(sheetCard(b, older.id)).toContainText('Older snapshot');
  await expect(sheetCard(b, missing.id)).toContainText('No snapshot');
  await expect(sheetCard(b, damaged.id)).toContainText('Damaged snapshot');
  await sheetCard(b, older.id).click();
  await expect(field(row(b, 0), 'name')).toHaveValue('New name');
  await expect(field(row(b, 0), 'name')).toBeEnabled();

  // It wrote snapshots for them: the next start shows them at once, without the engine.
  const c = await context.newPage();
  const held = await holdEngine(c);
  await c.goto('/');
  await expect(sheetCard(c, older.id)).toContainText('Older snapshot');
  await expect(sheetCard(c, missing.id)).toContainText('1 goals · weights 100%');
  await expect(sheetCard(c, damaged.id)).toContainText('Damaged snapshot');
  await sheetCard(c, missing.id).click();
  await expect(field(row(c, 0), 'name')).toHaveValue('Saved by an older version');
  await expect(field(row(c, 0), 'name')).toBeDisabled();
  await c.getByRole('link', { name: 'Goal sheets' }).click();
  await sheetCard(c, older.id).click();
  await expect(field(row(c, 0), 'name')).toHaveValue('New name');
  held.release();
  await expect(field(row(c, 0), 'name')).toBeEnabled();

  expect(errors).toEqual([]);
  await context.close();
});
