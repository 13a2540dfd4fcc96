// Editing while cut off from the relay: edits are kept on the device (and survive a reload),
// then merge with everyone else's when the connection comes back.
import { test, expect } from '@playwright/test';
import { addGoal, createSheet, expectGoal, field, netStatus, openDevices, relaySwitch, row, waitOnline } from './helpers.mjs';

test('offline edits survive a reload and converge with concurrent edits', async ({ browser }) => {
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);
  // B's relay connection goes through a switch: the test can make the relay unreachable for B
  // while the page itself (HTTP) still loads.
  const relayB = await relaySwitch(b.context());

  const { id, url } = await createSheet(a, { title: 'Offline sheet' });
  await addGoal(a, { name: 'Grow revenue', weight: '60', owner: 'Li Wei', measure: 'Revenue +10%' });
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  await b.goto(url);
  await expect(field(row(b, 0), 'name')).toHaveValue('Grow revenue');
  await waitOnline(b);
  await expect(b.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // B goes offline.
  await b.context().setOffline(true);
  await expect(netStatus(b)).toHaveText('Offline');
  await expect(b.getByTestId('doc-status')).toHaveText('Saved on this device · offline');

  // Both edit: different fields, and the same text field at both ends.
  const nameA = field(row(a, 0), 'name');
  await nameA.click();
  await nameA.press('End');
  await nameA.pressSequentially(' (A)');
  await expect(nameA).toHaveValue('Grow revenue (A)');
  await field(row(a, 0), 'owner').fill('Wang Fang');
  await a.getByTestId('sheet-employee').fill('Li Wei (A)');

  const nameB = field(row(b, 0), 'name');
  await nameB.click();
  await nameB.press('Home');
  await nameB.pressSequentially('B: ');
  await expect(nameB).toHaveValue('B: Grow revenue');
  await field(row(b, 0), 'measure').fill('Revenue +12% (B)');
  await field(row(b, 0), 'weight').fill('70');
  await addGoal(b, { name: 'Added offline by B', weight: '30' });
  await expect(b.getByTestId('weight-total')).toHaveText('100%');

  // A's edits reached the relay; B, offline, did not get them.
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  await expect(nameB).toHaveValue('B: Grow revenue');
  await expect(field(row(b, 0), 'owner')).toHaveValue('Li Wei');

  // The network comes back but the relay stays unreachable for B; B reloads the page. What it
  // shows can only come from this device's storage: the relay has A's edits and none of B's.
  relayB.block();
  await b.context().setOffline(false);
  await b.reload();
  await expect(netStatus(b)).toHaveText('Offline');
  const before = relayB.state.blockedAttempts;
  expect(before).toBeGreaterThan(0);
  await expect(b.getByTestId('sheet-title')).toHaveValue('Offline sheet');
  await expectGoal(row(b, 0), {
    name: 'B: Grow revenue',
    measure: 'Revenue +12% (B)',
    weight: '70',
    owner: 'Li Wei',
  });
  await expectGoal(row(b, 1), { name: 'Added offline by B', weight: '30' });
  await expect(b.getByTestId('sheet-employee')).toHaveValue('Li Wei');
  await expect(b.getByTestId('doc-status')).toHaveText('Saved on this device · offline');
  expect(await b.evaluate((key) => localStorage.getItem(key) !== null, `goals:doc:${id}`)).toBe(true);

  // The relay is reachable again: both converge to the same values, with every edit.
  await relayB.unblock(b);
  await waitOnline(b);
  const merged = {
    name: 'B: Grow revenue (A)',
    measure: 'Revenue +12% (B)',
    weight: '70',
    owner: 'Wang Fang',
  };
  for (const p of [a, b]) {
    await expectGoal(row(p, 0), merged);
    await expectGoal(row(p, 1), { name: 'Added offline by B', weight: '30' });
    await expect(p.getByTestId('sheet-employee')).toHaveValue('Li Wei (A)');
    await expect(p.getByTestId('weight-total')).toHaveText('100%');
    await expect(p.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  }

  // And B's storage holds the merged sheet: a reload with the relay blocked again shows it.
  relayB.block();
  await b.reload();
  await expect(netStatus(b)).toHaveText('Offline');
  await expectGoal(row(b, 0), merged);

  expect(errors).toEqual([]);
  await close();
});
