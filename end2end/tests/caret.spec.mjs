// Where typed characters land while others edit the same text.
import { test, expect } from '@playwright/test';
import { addGoal, createSheet, field, openDevices, row, trackErrors, waitOnline } from './helpers.mjs';

test('typing in the middle of a field keeps the caret in place', async ({ page }) => {
  const errors = trackErrors(page.context());
  await createSheet(page, { title: 'Caret' });
  await addGoal(page, { name: 'Hello world', measure: 'line one' });
  const name = field(row(page, 0), 'name');
  await name.click();
  await name.press('Home');
  await name.press('ArrowRight');
  await name.pressSequentially('XYZ');
  await expect(name).toHaveValue('HXYZello world');
  const measure = field(row(page, 0), 'measure');
  await measure.click();
  await measure.press('Control+Home');
  await measure.pressSequentially('ab');
  await expect(measure).toHaveValue('abline one');
  expect(errors).toEqual([]);
});

// A remote edit to the text of the field being typed in must keep the caret beside the same
// characters: writing the whole new value into the input would move the caret to the end and
// the next keystrokes would land there instead of where the person was typing.
test('a remote edit to the focused field does not move the caret', async ({ browser }) => {
  const { pages: [a, b], close } = await openDevices(browser, 2);
  const { url } = await createSheet(a, { title: 'Caret' });
  await addGoal(a, { name: 'Hello world' });
  await b.goto(url);
  await waitOnline(b);
  const nameB = field(row(b, 0), 'name');
  await expect(nameB).toHaveValue('Hello world');
  await nameB.click();
  await nameB.press('Home');

  // A appends to the name while B's caret is at its start.
  await field(row(a, 0), 'name').fill('Hello world!!');
  await expect(nameB).toHaveValue('Hello world!!');
  await expect(nameB).toBeFocused();
  expect(await nameB.evaluate((e) => [e.selectionStart, e.selectionEnd])).toEqual([0, 0]);
  await nameB.pressSequentially('B: ');
  await expect(nameB).toHaveValue('B: Hello world!!');
  await close();
});
