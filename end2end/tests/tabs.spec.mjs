// Two tabs of one browser on one sheet, with the relay unreachable: the tabs share the device's
// storage, and neither loses the other's edits.
import { test, expect } from '@playwright/test';
import { addGoal, createSheet, expectColumn, expectGoal, field, netStatus, relaySwitch, row, rows, trackErrors } from './helpers.mjs';

test('two tabs on one sheet keep each other\'s edits through storage', async ({ browser }) => {
  const context = await browser.newContext();
  const relay = await relaySwitch(context, { blocked: true });
  const errors = trackErrors(context);
  const one = await context.newPage();

  // Made with the relay unreachable: the relay never hears of this sheet.
  const { id, url } = await createSheet(one, { title: 'Tabs sheet', online: false });
  await addGoal(one, { name: 'Shared goal', weight: '40' });
  await expect(one.getByTestId('doc-status')).toHaveText('Saved on this device · offline');

  const two = await context.newPage();
  await two.goto(url);
  await expect(netStatus(two)).toHaveText('Offline');
  await expect(field(row(two, 0), 'name')).toHaveValue('Shared goal');

  // Each tab edits; the other tab shows it (through the storage event).
  await field(row(one, 0), 'owner').fill('Tab one');
  await expect(field(row(two, 0), 'owner')).toHaveValue('Tab one');
  await field(row(two, 0), 'support').fill('Tab two');
  await expect(field(row(one, 0), 'support')).toHaveValue('Tab two');
  await field(row(one, 0), 'measure').fill('Measured by tab one');
  await expect(field(row(two, 0), 'measure')).toHaveValue('Measured by tab one');
  await two.getByTestId('sheet-employee').fill('Employee from tab two');
  await expect(one.getByTestId('sheet-employee')).toHaveValue('Employee from tab two');
  await addGoal(one, { name: 'Added in tab one', weight: '30' });
  await expect(rows(two)).toHaveCount(2);
  await expect(field(row(two, 1), 'weight')).toHaveValue('30');
  await addGoal(two, { name: 'Added in tab two', weight: '30' });
  await expect(rows(one)).toHaveCount(3);
  await expect(field(row(one, 2), 'weight')).toHaveValue('30');

  const names = ['Shared goal', 'Added in tab one', 'Added in tab two'];
  const expectAll = async (page) => {
    await expectGoal(row(page, 0), {
      name: 'Shared goal',
      owner: 'Tab one',
      support: 'Tab two',
      measure: 'Measured by tab one',
    });
    await expect(page.getByTestId('sheet-employee')).toHaveValue('Employee from tab two');
    await expectColumn(page, 'name', names);
    await expect(page.getByTestId('weight-total')).toHaveText('100%');
  };
  await expectAll(one);
  await expectAll(two);

  // Everything is in storage: a new tab reads it all from there, and so does each tab after a
  // reload (the relay still unreachable).
  const three = await context.newPage();
  await three.goto(url);
  await expect(netStatus(three)).toHaveText('Offline');
  await expectAll(three);
  await three.close();
  await one.reload();
  await expect(netStatus(one)).toHaveText('Offline');
  await expectAll(one);
  await two.reload();
  await expect(netStatus(two)).toHaveText('Offline');
  await expectAll(two);

  // No connection ever reached the relay, so this all went through storage.
  expect(relay.state.attempts).toBeGreaterThan(0);
  expect(relay.state.attempts).toBe(relay.state.blockedAttempts);
  expect(await one.evaluate((key) => localStorage.getItem(key) !== null, `goals:doc:${id}`)).toBe(true);
  expect(errors).toEqual([]);
  await context.close();
});

// Two tabs that save at about the same time can each read the other's storage value before the
// other's write has reached it (Chromium's localStorage is not atomic across tabs), so the
// second write drops the first tab's edit from storage. The tab that merges the other's value
// from the `storage` event must write the merge back, or a new tab (or both tabs closed and
// reopened) would lose one edit. Without that write-back the loss happened in most rounds;
// five independent rounds make the test reliable.
test('edits made at the same moment in two tabs both reach storage', async ({ browser }) => {
  const context = await browser.newContext();
  await relaySwitch(context, { blocked: true });
  const errors = trackErrors(context);
  const one = await context.newPage();
  const { url } = await createSheet(one, { title: 'Racing tabs', online: false });
  await addGoal(one, { name: 'Goal' });
  const two = await context.newPage();
  await two.goto(url);
  await expect(field(row(two, 0), 'name')).toHaveValue('Goal');

  const setNow = (page, selector, value) =>
    page.evaluate(
      ([selector, value]) => {
        const el = document.querySelector(selector);
        el.value = value;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      },
      [selector, value],
    );
  const lost = [];
  for (let round = 1; round <= 5; round++) {
    const measure = `measure from tab one, round ${round}`;
    const employee = `employee from tab two, round ${round}`;
    // Both at once: neither tab can have heard of the other's write.
    await Promise.all([
      setNow(one, '[data-testid=goal-row] [data-field=measure]', measure),
      setNow(two, '[data-testid=sheet-employee]', employee),
    ]);
    // Both tabs show both edits.
    for (const page of [one, two]) {
      await expect(field(row(page, 0), 'measure')).toHaveValue(measure);
      await expect(page.getByTestId('sheet-employee')).toHaveValue(employee);
    }
    // What storage holds: read by a new tab.
    const check = await context.newPage();
    await check.goto(url);
    await expect(netStatus(check)).toHaveText('Offline');
    await expect(check.getByTestId('sheet-title')).toHaveValue('Racing tabs');
    const stored = {
      measure: await field(row(check, 0), 'measure').inputValue(),
      employee: await check.getByTestId('sheet-employee').inputValue(),
    };
    await check.close();
    if (stored.measure !== measure || stored.employee !== employee) lost.push({ round, stored });
  }
  expect(lost, 'rounds where storage lacked an edit both tabs show').toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
