// A backup of this device's sheets: downloaded as a file, restored on a device with no relay
// (so the sheets can only come from the file), merged with what that device has, and refused,
// changing nothing, when the file is not a backup.
import { test, expect } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { addGoal, createSheet, expectGoal, netStatus, openDevices, relaySwitch, row, sheetCard } from './helpers.mjs';

test('a backup restores the sheets on another device, merges with its edits, and a wrong file changes nothing', async ({ browser }, testInfo) => {
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);
  const { id } = await createSheet(a, { title: 'Backed up' });
  await addGoal(a, { name: 'Kept goal', measure: '3 workshops', weight: '100' });
  await a.goto('/');
  const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('backup-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^goal-sheets-backup-\d{4}-\d{2}-\d{2}\.json$/);
  const file = testInfo.outputPath('backup.json');
  await download.saveAs(file);
  const backup = JSON.parse(await readFile(file, 'utf8'));
  expect(backup.format).toBe('goal-sheets-backup');
  expect(Object.keys(backup.documents)).toEqual([id]);

  // B never reaches the relay: whatever it shows of the sheet came from the file.
  const relay = await relaySwitch(b.context(), { blocked: true });
  await b.goto('/');
  await expect(netStatus(b)).toHaveText('Offline', { timeout: 20_000 });
  await expect(b.getByTestId('sheet-list-empty')).toBeVisible();
  const outcome = b.getByTestId('backup-outcome');
  await b.getByTestId('backup-file').setInputFiles(file);
  await expect(outcome).toHaveText('Backup restored: 1 new, 0 merged, 0 already here, 0 unreadable.');
  await expect(sheetCard(b, id)).toContainText('Backed up');
  await sheetCard(b, id).click();
  await expect(b.getByTestId('sheet-title')).toHaveValue('Backed up');
  await expectGoal(row(b, 0), { name: 'Kept goal', measure: '3 workshops', weight: '100' });

  // B edits its copy; the same backup again adds nothing and takes nothing away.
  await b.getByTestId('sheet-title').fill('Backed up, edited on B');
  await b.goto('/');
  await b.getByTestId('backup-file').setInputFiles(file);
  await expect(outcome).toHaveText('Backup restored: 0 new, 0 merged, 1 already here, 0 unreadable.');
  await expect(sheetCard(b, id)).toContainText('Backed up, edited on B');

  // A later backup from A, with a new edit there, merges with B's edit: both are kept.
  await a.goto(`/sheet/${id}`);
  await expect(a.getByTestId('sheet-title')).toHaveValue('Backed up');
  await row(a, 0).locator('[data-field=owner]').fill('Li Wei');
  await a.goto('/');
  const [second] = await Promise.all([a.waitForEvent('download'), a.getByTestId('backup-download').click()]);
  const file2 = testInfo.outputPath('backup-2.json');
  await second.saveAs(file2);
  await b.getByTestId('backup-file').setInputFiles(file2);
  await expect(outcome).toHaveText('Backup restored: 0 new, 1 merged, 0 already here, 0 unreadable.');
  await sheetCard(b, id).click();
  await expect(b.getByTestId('sheet-title')).toHaveValue('Backed up, edited on B');
  await expectGoal(row(b, 0), { name: 'Kept goal', owner: 'Li Wei' });

  // Not a backup, or one with a damaged entry: said so; what B has is untouched.
  await b.goto('/');
  const wrong = testInfo.outputPath('not-a-backup.json');
  await writeFile(wrong, '{"hello": "world"}');
  await b.getByTestId('backup-file').setInputFiles(wrong);
  await expect(outcome).toHaveText('Not restored: this file is not a backup of goal sheets.');
  const damaged = testInfo.outputPath('damaged.json');
  await writeFile(damaged, JSON.stringify({ ...backup, documents: { [id]: 'AAAA', 'not-an-id': 'AAAA' } }));
  await b.getByTestId('backup-file').setInputFiles(damaged);
  await expect(outcome).toHaveText('Backup restored: 0 new, 0 merged, 0 already here, 2 unreadable.');
  await sheetCard(b, id).click();
  await expect(b.getByTestId('sheet-title')).toHaveValue('Backed up, edited on B');
  await expectGoal(row(b, 0), { name: 'Kept goal', owner: 'Li Wei' });
  expect(relay.state.attempts).toBe(relay.state.blockedAttempts);
  expect(errors).toEqual([]);
  await close();
});
