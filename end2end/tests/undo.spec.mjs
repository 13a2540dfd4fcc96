// A removal can be undone: the goal (or check-in) comes back whole and in its place, on every
// device, by mouse or by keyboard; the offer says what was removed and goes away by itself.
import { test, expect } from '@playwright/test';
import { addGoal, createSheet, expectColumn, expectGoal, field, openDevices, openSheet, row, trackErrors } from './helpers.mjs';

const GOALS = [
  { name: 'New customers', measure: '8 new valid customers', weight: '50', owner: 'Li Wei' },
  { name: 'Raise customer satisfaction', measure: 'complaint rate ≤ 5%', weight: '30', owner: 'Li Wei' },
  { name: 'Product knowledge', measure: 'certification ≥ 90', weight: '20', owner: 'Li Wei' },
];
const NAMES = GOALS.map((g) => g.name);
const removeButton = (r) => r.locator('[data-action=remove]');
const undoBar = (page) => page.getByTestId('undo-bar');

test('a removed goal comes back whole and in its place, on both devices', async ({ browser }) => {
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);
  const { url } = await createSheet(a, { title: 'Undo' });
  for (const g of GOALS) await addGoal(a, g);
  // A check-in on the middle goal, to see that it comes back with the goal.
  await a.getByTestId('tab-follow-up').click();
  const followUp = a.getByTestId('goal-follow-up').nth(1);
  await followUp.getByTestId('add-check-in').click();
  await followUp.locator('[data-field=done]').first().fill('Met 3 unhappy clients');
  await a.getByTestId('tab-goals').click();

  await openSheet(b, url, 'Undo');
  await expectColumn(b, 'name', NAMES);

  // Remove the middle goal: the offer names it, and B sees it gone.
  await removeButton(row(a, 1)).click();
  await expectColumn(a, 'name', [NAMES[0], NAMES[2]]);
  await expect(undoBar(a)).toBeVisible();
  await expect(a.getByTestId('undo-what')).toHaveText('Goal “Raise customer satisfaction” removed.');
  await expect(a.getByTestId('undo')).toBeFocused();
  await expectColumn(b, 'name', [NAMES[0], NAMES[2]]);
  await expect(undoBar(b), 'only the device that removed it offers to undo').toHaveCount(0);

  // Undo: back in the middle with every field, on both devices; the offer is gone.
  await a.getByTestId('undo').click();
  await expect(undoBar(a)).toHaveCount(0);
  await expectColumn(a, 'name', NAMES);
  await expectGoal(row(a, 1), GOALS[1]);
  await expect(field(row(a, 1), 'name')).toBeFocused();
  await expectColumn(b, 'name', NAMES);
  await expectGoal(row(b, 1), GOALS[1]);
  await b.getByTestId('tab-follow-up').click();
  await expect(b.getByTestId('goal-follow-up').nth(1).locator('[data-field=done]')).toHaveValue('Met 3 unhappy clients');

  // It stays undone after a reload (it was saved like any edit).
  await a.reload();
  await expectColumn(a, 'name', NAMES);
  expect(errors).toEqual([]);
  await close();
});

test('by keyboard: Enter removes, Enter on Undo puts it back, Escape dismisses', async ({ page }) => {
  const errors = trackErrors(page.context());
  await createSheet(page, { title: 'Undo by keyboard' });
  for (const g of GOALS) await addGoal(page, g);

  await removeButton(row(page, 0)).focus();
  await page.keyboard.press('Enter');
  await expectColumn(page, 'name', NAMES.slice(1));
  await expect(page.getByTestId('undo')).toBeFocused();
  await page.keyboard.press('Enter');
  await expectColumn(page, 'name', NAMES);
  await expect(field(row(page, 0), 'name')).toBeFocused();

  await removeButton(row(page, 2)).focus();
  await page.keyboard.press('Enter');
  await expect(undoBar(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(undoBar(page)).toHaveCount(0);
  await expectColumn(page, 'name', NAMES.slice(0, 2));
  expect(errors).toEqual([]);
});

test('a removed check-in comes back; the offer goes away by itself', async ({ page }) => {
  const errors = trackErrors(page.context());
  await createSheet(page, { title: 'Undo a check-in' });
  await addGoal(page, GOALS[0]);
  await page.getByTestId('tab-follow-up').click();
  const goal = page.getByTestId('goal-follow-up').first();
  const checkIns = goal.locator('tr[data-testid=check-in]');
  await goal.getByTestId('add-check-in').click();
  await goal.locator('[data-field=done]').first().fill('Signed two contracts');
  await expect(checkIns).toHaveCount(1);

  await checkIns.first().locator('button.danger').click();
  await expect(checkIns).toHaveCount(0);
  await expect(page.getByTestId('undo-what')).toContainText('Check-in of ');
  await page.getByTestId('undo').click();
  await expect(checkIns).toHaveCount(1);
  await expect(goal.locator('[data-field=done]').first()).toHaveValue('Signed two contracts');

  // Left alone (pointer and focus elsewhere), the offer goes after about ten seconds; the
  // removal stays.
  await checkIns.first().locator('button.danger').click();
  await expect(undoBar(page)).toBeVisible();
  await page.getByTestId('sheet-title').focus();
  await page.mouse.move(0, 0);
  await expect(undoBar(page)).toHaveCount(0, { timeout: 15_000 });
  await expect(checkIns).toHaveCount(0);
  expect(errors).toEqual([]);
});
