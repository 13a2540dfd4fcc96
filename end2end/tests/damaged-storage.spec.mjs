// A sheet whose copy in this browser's storage is damaged: it is listed and shown as damaged
// (never silently hidden), its raw value is kept aside under goals:quarantine:<id>:<n> before
// anything overwrites it, and it is filled again from the relay or another tab, which the
// page says. What still loads of a damaged value is salvaged.
import { test, expect } from '@playwright/test';
import { addGoal, createSheet, field, isWebSocketFailure, netStatus, relaySwitch, row, sheetCard, trackErrors } from './helpers.mjs';

const docKey = (id) => `goals:doc:${id}`;

/** The value of a storage key in the page's origin. */
const stored = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);

/** Every quarantine entry of a document: { key: value }. */
const quarantined = (page, id) =>
  page.evaluate((id) => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith(`goals:quarantine:${id}:`)) out[k] = localStorage.getItem(k);
    }
    return out;
  }, id);

/** A value in the app's format (a JSON string of base64) whose bytes are not Automerge. */
const NOT_AUTOMERGE = JSON.stringify(Buffer.from('definitely not an automerge document').toString('base64'));
const NOT_JSON = 'this is not { json';

test('damaged sheets are listed and explained, kept aside, and refilled from the relay', async ({ browser }) => {
  const context = await browser.newContext();
  const relay = await relaySwitch(context);
  const errors = trackErrors(context);
  const page = await context.newPage();

  // A sheet the relay has…
  const onRelay = await createSheet(page, { title: 'Kept on the relay' });
  await addGoal(page, { name: 'Survives the damage', weight: '100' });
  await expect(page.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  // …and, with the relay cut off, one that only this device has.
  await context.setOffline(true);
  await expect(netStatus(page)).toHaveText('Offline');
  relay.block();
  await context.setOffline(false);
  const onlyHere = await createSheet(page, { title: 'Only on this device', online: false });

  // Damage both, from the home page (where nothing is being saved): one value is not JSON at
  // all, the other is in the app's format but its bytes are not an Automerge document.
  await page.goto('/');
  await expect(netStatus(page)).toHaveText('Offline');
  await page.evaluate(([k1, v1, k2, v2]) => {
    localStorage.setItem(k1, v1);
    localStorage.setItem(k2, v2);
  }, [docKey(onRelay.id), NOT_JSON, docKey(onlyHere.id), NOT_AUTOMERGE]);
  await page.reload();
  await expect(netStatus(page)).toHaveText('Offline');

  // Both are listed, as damaged (the value that is not JSON used to vanish from the list).
  await expect(sheetCard(page, onRelay.id)).toContainText("Damaged sheet (it is not in the app's storage format)");
  await expect(sheetCard(page, onlyHere.id)).toContainText('Damaged sheet (Automerge cannot load it (');
  // Their raw values are kept aside, exactly.
  expect(await quarantined(page, onRelay.id)).toEqual({ [`goals:quarantine:${onRelay.id}:1`]: NOT_JSON });
  expect(await quarantined(page, onlyHere.id)).toEqual({ [`goals:quarantine:${onlyHere.id}:1`]: NOT_AUTOMERGE });

  // The sheet's page says what happened (not "neither this device nor the relay has it").
  await page.goto(onRelay.url);
  await expect(netStatus(page)).toHaveText('Offline');
  const banner = page.getByTestId('damaged');
  await expect(banner).toContainText("The copy of this sheet on this device is damaged (it is not in the app's storage format).");
  await expect(banner).toContainText('It will be filled again from the relay or another tab');
  await expect(banner).toHaveAttribute('data-recovery', 'Waiting');
  await expect(banner).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('kept-aside')).toHaveText(
    `The damaged data is kept in this browser's storage under “goals:quarantine:${onRelay.id}:1”; nothing was deleted.`,
  );
  await expect(page.getByTestId('unavailable')).toHaveCount(0);
  await expect(page.getByTestId('sheet-title')).toHaveCount(0);
  expect(await stored(page, docKey(onRelay.id))).toBe(NOT_JSON);

  // The relay is reachable again: the sheet is filled from it, and the page says so.
  await relay.unblock(page);
  await expect(field(row(page, 0), 'name')).toHaveValue('Survives the damage');
  await expect(page.getByTestId('sheet-title')).toHaveValue('Kept on the relay');
  await expect(banner).toHaveAttribute('data-recovery', 'FromRelay');
  await expect(banner).toContainText('It has been filled again from the relay.');
  await expect(banner).toHaveAttribute('role', 'status');
  // Storage holds a good copy again; the damaged value is still kept aside.
  await expect.poll(() => stored(page, docKey(onRelay.id))).not.toBe(NOT_JSON);
  expect(typeof JSON.parse(await stored(page, docKey(onRelay.id)))).toBe('string');
  expect(await quarantined(page, onRelay.id)).toEqual({ [`goals:quarantine:${onRelay.id}:1`]: NOT_JSON });
  await expect(page.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // The sheet the relay does not have: it says so, and nothing overwrites the damaged value.
  await page.goto(onlyHere.url);
  await expect(netStatus(page)).toHaveText('Online');
  await expect(banner).toHaveAttribute('data-recovery', 'Lost');
  await expect(banner).toContainText('The copy of this sheet on this device is damaged (Automerge cannot load it (');
  await expect(banner).toContainText('and the relay does not have this sheet.');
  await expect(page.getByTestId('kept-aside')).toContainText(`goals:quarantine:${onlyHere.id}:1`);
  await expect(page.getByTestId('unavailable')).toHaveCount(0);
  expect(await stored(page, docKey(onlyHere.id))).toBe(NOT_AUTOMERGE);

  // After a reconnect the list still shows it as damaged (it used to drop it), and the
  // refilled sheet as itself.
  await page.goto('/');
  await expect(netStatus(page)).toHaveText('Online');
  await context.setOffline(true);
  await expect(netStatus(page)).toHaveText('Offline');
  await context.setOffline(false);
  await expect(netStatus(page)).toHaveText('Online', { timeout: 20_000 });
  await expect(sheetCard(page, onlyHere.id)).toContainText('Damaged sheet (Automerge cannot load it (');
  await expect(sheetCard(page, onRelay.id)).toContainText('Kept on the relay');
  await expect(sheetCard(page, onRelay.id)).toContainText('1 goals · weights 100%');

  expect(errors.filter((e) => !isWebSocketFailure(e))).toEqual([]);
  await context.close();
});

test('what still loads of a damaged copy is salvaged, and tabs refill each other', async ({ browser }) => {
  // No relay at all: everything here comes from this browser.
  const context = await browser.newContext();
  await relaySwitch(context, { blocked: true });
  const errors = trackErrors(context);
  const page = await context.newPage();
  const sheet = await createSheet(page, { title: 'Salvage me', online: false });
  await addGoal(page, { name: 'Still readable', weight: '100' });
  const key = docKey(sheet.id);
  const good = await stored(page, key);

  // A full save followed by bytes that are no Automerge chunk.
  const bytes = Buffer.from(JSON.parse(good), 'base64');
  const trailing = Buffer.from([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const damaged = JSON.stringify(Buffer.concat([bytes, trailing]).toString('base64'));
  await page.goto('/');
  await expect(netStatus(page)).toHaveText('Offline');
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, damaged]);

  // The sheet opens with what loads, and says it was damaged.
  await page.goto(sheet.url);
  await expect(field(row(page, 0), 'name')).toHaveValue('Still readable');
  const banner = page.getByTestId('damaged');
  await expect(banner).toHaveAttribute('data-recovery', 'Salvaged');
  await expect(banner).toContainText('What could be read from it is shown');
  expect(await quarantined(page, sheet.id)).toEqual({ [`goals:quarantine:${sheet.id}:1`]: damaged });
  // What was salvaged replaced the damaged value, which now loads cleanly: a reload shows no
  // damage.
  await expect.poll(() => stored(page, key)).not.toBe(damaged);
  await page.reload();
  await expect(field(row(page, 0), 'name')).toHaveValue('Still readable');
  await expect(banner).toHaveCount(0);

  // Damage it again from this tab (no storage event here), then open a second tab: it finds
  // nothing readable and keeps the value aside.
  await page.evaluate((k) => localStorage.setItem(k, 'garbage'), key);
  const other = await context.newPage();
  await other.goto(sheet.url);
  const otherBanner = other.getByTestId('damaged');
  await expect(otherBanner).toHaveAttribute('data-recovery', 'Waiting');
  await expect(other.getByTestId('kept-aside')).toContainText(`goals:quarantine:${sheet.id}:2`);
  expect(await quarantined(page, sheet.id)).toEqual({
    [`goals:quarantine:${sheet.id}:1`]: damaged,
    [`goals:quarantine:${sheet.id}:2`]: 'garbage',
  });

  // An edit in the first tab (which holds the sheet) saves over the damaged value, which is
  // already kept aside (not twice), and the second tab is filled from it.
  await field(row(page, 0), 'measure').fill('Written again by the first tab');
  await expect(banner).toHaveAttribute('data-recovery', 'FromThisTab');
  await expect(page.getByTestId('kept-aside')).toContainText(`goals:quarantine:${sheet.id}:2`);
  await expect(field(row(other, 0), 'measure')).toHaveValue('Written again by the first tab');
  await expect(field(row(other, 0), 'name')).toHaveValue('Still readable');
  await expect(otherBanner).toHaveAttribute('data-recovery', 'FromOtherTab');
  await expect(otherBanner).toContainText('It has been filled again from another tab.');
  expect(Object.keys(await quarantined(page, sheet.id)).sort()).toEqual([
    `goals:quarantine:${sheet.id}:1`,
    `goals:quarantine:${sheet.id}:2`,
  ]);

  // Another tab writes a damaged value while both hold the sheet: it is kept aside and the
  // sheet written back at once.
  await other.evaluate((k) => localStorage.setItem(k, '{"not": "a sheet"}'), key);
  await expect.poll(() => stored(other, key)).not.toBe('{"not": "a sheet"}');
  expect(await quarantined(page, sheet.id)).toMatchObject({ [`goals:quarantine:${sheet.id}:3`]: '{"not": "a sheet"}' });
  await other.reload();
  await expect(field(row(other, 0), 'measure')).toHaveValue('Written again by the first tab');
  await expect(other.getByTestId('damaged')).toHaveCount(0);

  expect(errors.filter((e) => !isWebSocketFailure(e))).toEqual([]);
  await context.close();
});
