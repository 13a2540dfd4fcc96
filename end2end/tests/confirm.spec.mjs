// Step 3, confirmation (issue 5): identities made in the browser, joining a sheet as employee or
// manager, objections with their threads, signing, and signatures that every device verifies
// itself: void as soon as the agreement changes (with what changed and by whom), valid again when
// the content is back to what was signed, and untouched by check-ins and the assessment.
import { test, expect } from '@playwright/test';
import { changeFromOtherPeer, createSheet, field, fillExample, openDevices, openSheet, openTab, relaySwitch, row, rows, waitOnline } from './helpers.mjs';

const NO_IDENTITY = 'Set up your identity';

/** On /me, make this device's identity; returns its fingerprint. */
async function createIdentity(page, name) {
  await page.goto('/me');
  await waitOnline(page);
  await expect(page.getByTestId('me-link')).toHaveText(NO_IDENTITY);
  await expect(page.getByTestId('identity')).toHaveCount(0);
  const form = page.getByTestId('create-identity');
  await form.locator('input[name=identity-name]').fill(name);
  await form.locator('button[type=submit]').click();
  await expect(page.getByTestId('identity-name')).toHaveText(name);
  await expect(page.getByTestId('create-identity')).toHaveCount(0);
  await expect(page.getByTestId('me-link')).toHaveText(name);
  const fingerprint = (await page.getByTestId('identity-fingerprint').textContent()).trim();
  expect(fingerprint).not.toBe('');
  return fingerprint;
}

/** The identity /me shows: { name, fingerprint }, or null while there is none. */
async function shownIdentity(page) {
  // The identity part of /me is a view loaded on demand: wait until it is there.
  await expect(page.getByTestId('identity').or(page.getByTestId('create-identity'))).toBeVisible();
  if ((await page.getByTestId('identity').count()) === 0) return null;
  return {
    name: (await page.getByTestId('identity-name').textContent()).trim(),
    fingerprint: (await page.getByTestId('identity-fingerprint').textContent()).trim(),
  };
}

/** The export code of this device's identity, from /me. */
async function exportCode(page) {
  await page.goto('/me');
  await waitOnline(page);
  await page.getByTestId('show-export').click();
  const code = page.getByTestId('export-code');
  await expect(code).toHaveValue(/^GS1-\S+$/);
  return code.inputValue();
}

const party = (page, role) => page.getByTestId(`party-${role}`);
const joinButton = (page, role) => page.getByTestId(`join-${role}`);
const signButton = (page, role) => page.getByTestId(`sign-${role}`);
const signatureCard = (page, role) => page.getByTestId(`signature-${role}`);
/** The element of a signature card that carries data-state. */
const sigState = (page, role) => page.getByTestId(`signature-state-${role}`).locator('[data-state]');
const notReady = (page, role) => signatureCard(page, role).getByTestId('not-ready');
const objections = (page) => page.getByTestId('objections').locator('li[data-testid=objection]');
const confirmed = (page) => page.getByTestId('confirmed');
const objectionMark = (page, i) => page.getByTestId('goal-hints').nth(i).getByTestId('open-objection');

/** "2026-11-25 04:11": how the app shows when a signature was made (minutes, local time). */
const WHEN = String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2}`;
/** The banner of a sheet Alice and Bob signed: each with the fingerprint of the key that signed. */
const confirmedText = (fpA, fpB) =>
  new RegExp(`^Confirmed: Alice \\(employee, ${fpA}\\) signed ${WHEN}; Bob \\(manager, ${fpB}\\) signed ${WHEN}\\.$`);
/** A valid signature's state: the name its party joined with, and the signing key's fingerprint. */
const signedBy = (name, fp) => new RegExp(`^Signed by ${name} \\(${fp}\\) on ${WHEN}$`);

/** Both signatures verify (Alice's key `fpA`, Bob's `fpB`): the states, and the banner. */
async function expectConfirmed(page, fpA, fpB) {
  await expect(sigState(page, 'employee')).toHaveAttribute('data-state', 'valid');
  await expect(sigState(page, 'employee')).toHaveText(signedBy('Alice', fpA));
  await expect(sigState(page, 'manager')).toHaveAttribute('data-state', 'valid');
  await expect(sigState(page, 'manager')).toHaveText(signedBy('Bob', fpB));
  await expect(confirmed(page)).toHaveText(confirmedText(fpA, fpB));
  await expect(signButton(page, 'employee')).toHaveCount(0);
  await expect(signButton(page, 'manager')).toHaveCount(0);
}

/** Alice (A) signs; once Bob (B) sees her signature, he signs: A sees the sheet confirmed. */
async function bothSign(a, b, fpA, fpB) {
  await signButton(a, 'employee').click();
  await expect(sigState(b, 'employee')).toHaveAttribute('data-state', 'valid');
  await signButton(b, 'manager').click();
  await expectConfirmed(a, fpA, fpB);
}

/**
 * Alice (A) makes a sheet from the example, Bob (B) opens its link; both have identities, are
 * on the Confirm tab, and have joined (A as employee, B as manager).
 */
async function joinedSheet(a, b, title) {
  const fpA = await createIdentity(a, 'Alice');
  const fpB = await createIdentity(b, 'Bob');
  expect(fpA).not.toBe(fpB);
  const { id, url } = await createSheet(a, { title, employee: 'Alice', manager: 'Bob' });
  await expect(a.getByTestId('me-link')).toHaveText('Alice');
  await fillExample(a);
  await expect(a.getByTestId('weight-total')).toHaveText('100%');
  const names = await a.locator('[data-testid=goal-row] [data-field=name]').evaluateAll((els) => els.map((e) => e.value));
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  await openSheet(b, url, title);
  await expect(rows(b)).toHaveCount(3);

  await openTab(a, 'confirm');
  await openTab(b, 'confirm');
  await joinButton(a, 'employee').click();
  await expect(party(b, 'employee')).toContainText('Alice');
  await joinButton(b, 'manager').click();
  await expect(party(a, 'manager')).toContainText('Bob');
  return { id, url, names, fpA, fpB };
}

test('two parties join, object, answer, resolve and sign; an edit voids both signatures, check-ins do not', async ({ browser }) => {
  test.setTimeout(180_000);
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);

  // ---- Identities: each device makes its own on /me. ----
  const fpA = await createIdentity(a, 'Alice');
  const fpB = await createIdentity(b, 'Bob');
  expect(fpA).not.toBe(fpB);
  // Kept on the device: a reload shows the same identity.
  await a.reload();
  await waitOnline(a);
  expect(await shownIdentity(a)).toEqual({ name: 'Alice', fingerprint: fpA });
  expect(await a.evaluate(() => localStorage.getItem('goals:identity'))).toMatch(/GS1-/);

  // ---- A makes a sheet from the example; B opens its link. ----
  const title = 'Q goals to confirm';
  const { url } = await createSheet(a, { title, employee: 'Alice', manager: 'Bob' });
  await fillExample(a);
  await expect(a.getByTestId('weight-total')).toHaveText('100%');
  const names = await a.locator('[data-testid=goal-row] [data-field=name]').evaluateAll((els) => els.map((e) => e.value));
  await expect(field(row(a, 0), 'weight')).toHaveValue('50');
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  await openSheet(b, url, title);
  await expect(rows(b)).toHaveCount(3);
  await expect(b.getByTestId('me-link')).toHaveText('Bob');

  // ---- Joining. Before: nobody has joined, both may join either role; no objection form. ----
  await openTab(a, 'confirm');
  await openTab(b, 'confirm');
  for (const p of [a, b]) {
    await expect(p.getByTestId('create-identity')).toHaveCount(0);
    for (const role of ['employee', 'manager']) {
      await expect(party(p, role)).toContainText('not joined yet');
      await expect(joinButton(p, role)).toBeVisible();
      await expect(sigState(p, role)).toHaveAttribute('data-state', 'missing');
      await expect(signButton(p, role)).toHaveCount(0);
      await expect(notReady(p, role)).toHaveCount(0);
    }
    await expect(p.getByTestId('raise-objection')).toHaveCount(0);
    await expect(objections(p)).toHaveCount(0);
    await expect(p.getByTestId('no-objections')).toBeVisible();
    await expect(confirmed(p)).toHaveCount(0);
  }

  // A joins as the employee: A can no longer join as the manager.
  await joinButton(a, 'employee').click();
  await expect(party(a, 'employee')).toContainText('Alice');
  await expect(party(a, 'employee')).toContainText(fpA);
  await expect(party(a, 'employee')).toContainText('(you)');
  await expect(joinButton(a, 'employee')).toHaveCount(0);
  await expect(joinButton(a, 'manager')).toHaveCount(0);
  await expect(a.getByTestId('raise-objection')).toBeVisible();
  // B sees Alice (not as "you"); the employee's place is taken, the manager's is free.
  await expect(party(b, 'employee')).toContainText('Alice');
  await expect(party(b, 'employee')).toContainText(fpA);
  await expect(party(b, 'employee')).not.toContainText('(you)');
  await expect(joinButton(b, 'employee')).toHaveCount(0);
  await expect(joinButton(b, 'manager')).toBeVisible();
  await expect(b.getByTestId('raise-objection')).toHaveCount(0);
  // A cannot sign alone: the manager joining later would void the signature.
  await expect(notReady(a, 'employee').locator('li')).toHaveText(['To sign: the manager has not joined this sheet yet']);
  await expect(signButton(a, 'employee')).toHaveCount(0);

  await joinButton(b, 'manager').click();
  await expect(party(b, 'manager')).toContainText('Bob');
  await expect(party(b, 'manager')).toContainText(fpB);
  await expect(party(b, 'manager')).toContainText('(you)');
  await expect(joinButton(b, 'manager')).toHaveCount(0);
  await expect(party(a, 'manager')).toContainText('Bob');
  await expect(party(a, 'manager')).toContainText(fpB);
  await expect(party(a, 'manager')).not.toContainText('(you)');
  for (const p of [a, b]) {
    await expect(joinButton(p, 'employee')).toHaveCount(0);
    await expect(joinButton(p, 'manager')).toHaveCount(0);
  }
  // Each sees the reasons only for its own role; the example is ready to sign.
  await expect(notReady(a, 'employee')).toHaveCount(0);
  await expect(notReady(a, 'manager')).toHaveCount(0);
  await expect(signButton(a, 'employee')).toBeVisible();
  await expect(signButton(a, 'manager')).toHaveCount(0);
  await expect(signButton(b, 'manager')).toBeVisible();
  await expect(signButton(b, 'employee')).toHaveCount(0);

  // ---- A objects to goal 1 (the form's default goal). ----
  const raise = a.getByTestId('raise-objection');
  await expect(raise.locator('select[data-field=row] option')).toHaveText(names);
  await expect(raise.locator('select[data-field=row] option:checked')).toHaveText(names[0]);
  const reason = 'target too high for the resources';
  await raise.locator('textarea[data-field=reason]').fill(reason);
  await raise.locator('button[type=submit]').click();
  await expect(raise.locator('textarea[data-field=reason]')).toHaveValue('');
  for (const p of [a, b]) {
    await expect(objections(p)).toHaveCount(1);
    await expect(p.getByTestId('no-objections')).toHaveCount(0);
    const o = objections(p).nth(0);
    await expect(o).toHaveAttribute('data-status', 'open');
    await expect(o.getByTestId('objection-reason')).toHaveText(reason);
    await expect(o).toContainText(`On “${names[0]}”`);
    await expect(o).toContainText('Alice (employee): ');
    await expect(o.getByTestId('objection-reply')).toHaveCount(0);
    await expect(o.locator('[data-field=reply]')).toBeVisible();
  }
  // Only the raiser may resolve or withdraw it.
  await expect(objections(a).nth(0).getByTestId('resolve-objection')).toBeVisible();
  await expect(objections(a).nth(0).getByTestId('withdraw-objection')).toBeVisible();
  await expect(objections(b).nth(0).getByTestId('resolve-objection')).toHaveCount(0);
  await expect(objections(b).nth(0).getByTestId('withdraw-objection')).toHaveCount(0);

  // Nobody can sign while it is open.
  await expect(notReady(b, 'manager')).toContainText('To sign: 1 objection(s) are still open');
  await expect(notReady(b, 'manager').locator('li')).toHaveCount(1);
  await expect(signButton(b, 'manager')).toHaveCount(0);
  await expect(notReady(a, 'employee')).toContainText('To sign: 1 objection(s) are still open');
  await expect(signButton(a, 'employee')).toHaveCount(0);

  // The goals tab marks the goal, and only that one, for both.
  for (const p of [a, b]) {
    await openTab(p, 'goals');
    await expect(objectionMark(p, 0)).toHaveText('⚑ 1 open objection(s): see 3 · Confirm');
    await expect(p.getByTestId('open-objection')).toHaveCount(1);
    await expect(row(p, 0)).toHaveClass(/\bobjected\b/);
    await openTab(p, 'confirm');
  }

  // ---- B answers; A sees the answer and resolves it; the thread stays. ----
  const answer = 'Last quarter the team signed 11 with the same resources';
  await objections(b).nth(0).locator('[data-field=reply]').fill(answer);
  await objections(b).nth(0).getByTestId('send-reply').click();
  await expect(objections(b).nth(0).locator('[data-field=reply]')).toHaveValue('');
  for (const p of [a, b]) {
    await expect(objections(p).nth(0).getByTestId('objection-reply')).toHaveText(`Bob (manager): ${answer}`);
  }
  await expect(objections(a).nth(0)).toHaveAttribute('data-status', 'open');
  await objections(a).nth(0).getByTestId('resolve-objection').click();
  for (const p of [a, b]) {
    const o = objections(p).nth(0);
    await expect(o).toHaveAttribute('data-status', 'resolved');
    await expect(o.getByTestId('objection-reason')).toHaveText(reason);
    await expect(o.getByTestId('objection-reply')).toHaveText(`Bob (manager): ${answer}`);
    await expect(o.locator('[data-field=reply]')).toHaveCount(0);
    await expect(o.getByTestId('send-reply')).toHaveCount(0);
    await expect(o.getByTestId('resolve-objection')).toHaveCount(0);
    await expect(o.getByTestId('withdraw-objection')).toHaveCount(0);
  }
  await expect(notReady(a, 'employee')).toHaveCount(0);
  await expect(notReady(b, 'manager')).toHaveCount(0);
  for (const p of [a, b]) {
    await openTab(p, 'goals');
    await expect(p.getByTestId('open-objection')).toHaveCount(0);
    await expect(row(p, 0)).not.toHaveClass(/\bobjected\b/);
    await openTab(p, 'confirm');
  }

  // ---- Both sign. ----
  await signButton(a, 'employee').click();
  for (const p of [a, b]) {
    await expect(sigState(p, 'employee')).toHaveAttribute('data-state', 'valid');
    await expect(sigState(p, 'employee')).toHaveText(signedBy('Alice', fpA));
    await expect(sigState(p, 'manager')).toHaveAttribute('data-state', 'missing');
    await expect(confirmed(p)).toHaveCount(0);
  }
  await expect(signButton(a, 'employee')).toHaveCount(0);
  await signButton(b, 'manager').click();
  await expectConfirmed(a, fpA, fpB);
  await expectConfirmed(b, fpA, fpB);
  const banner = await confirmed(a).textContent();
  await expect(confirmed(b)).toHaveText(banner);

  // ---- A changes goal 1's weight: both signatures are void, for both. ----
  await openTab(a, 'goals');
  await field(row(a, 0), 'weight').fill('40');
  await expect(a.getByTestId('weight-total')).toHaveText('90%');
  await openTab(a, 'confirm');
  const change = `Goal “${names[0]}”, weight: “50%” → “40%”`;
  for (const p of [a, b]) {
    for (const [role, name, fp] of [['employee', 'Alice', fpA], ['manager', 'Bob', fpB]]) {
      const s = sigState(p, role);
      await expect(s).toHaveAttribute('data-state', 'void');
      await expect(s).toContainText(new RegExp(`Void: ${name} \\(${fp}\\) signed on ${WHEN}, and the agreement has changed since\\.`));
      await expect(s.locator('ul.changes li')).toHaveText([change]);
      // Only Alice changed it (Bob signed, which is not a change to the agreement).
      await expect(s.locator('p.hint').nth(0)).toHaveText(`Changed by Alice (${fpA}).`);
      await expect(s).toContainText('Both must sign again.');
    }
    await expect(confirmed(p)).toHaveCount(0);
  }
  // Not signable again until the weights total 100%.
  await expect(notReady(a, 'employee')).toContainText('To sign: the weights total 90%, not 100%');
  await expect(signButton(a, 'employee')).toHaveCount(0);
  await expect(notReady(b, 'manager')).toContainText('To sign: the weights total 90%, not 100%');
  await expect(signButton(b, 'manager')).toHaveCount(0);

  // ---- The weight back at its signed value: the signatures cover the content, so they are
  // valid again (by design). ----
  await openTab(a, 'goals');
  await field(row(a, 0), 'weight').fill('50');
  await expect(a.getByTestId('weight-total')).toHaveText('100%');
  await openTab(a, 'confirm');
  await expectConfirmed(a, fpA, fpB);
  await expectConfirmed(b, fpA, fpB);
  await expect(confirmed(a)).toHaveText(banner);
  await expect(confirmed(b)).toHaveText(banner);

  // ---- A check-in and an assessment input are outside the agreement: still confirmed. ----
  await openTab(a, 'follow-up');
  const goalA = a.getByTestId('goal-follow-up').nth(0);
  await goalA.getByTestId('add-check-in').click();
  const checkIn = goalA.getByTestId('timeline').locator('tr[data-testid=check-in]');
  await expect(checkIn).toHaveCount(1);
  await checkIn.nth(0).locator('[data-field=progress]').fill('20');
  await checkIn.nth(0).locator('[data-field=done]').fill('Met 3 prospects');
  await openTab(a, 'assessment');
  const assessA = a.getByTestId('assess-row').nth(0);
  await assessA.locator('[data-field=target]').fill('12');
  await expect(assessA.locator('[data-field=target]')).toHaveValue('12');
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  await openTab(a, 'confirm');
  await expectConfirmed(a, fpA, fpB);
  await expect(confirmed(a)).toHaveText(banner);

  // B has both edits, and still sees the sheet confirmed.
  await openTab(b, 'follow-up');
  const checkInB = b.getByTestId('goal-follow-up').nth(0).getByTestId('timeline').locator('tr[data-testid=check-in]');
  await expect(checkInB).toHaveCount(1);
  await expect(checkInB.nth(0).locator('[data-field=done]')).toHaveValue('Met 3 prospects');
  await openTab(b, 'assessment');
  await expect(b.getByTestId('assess-row').nth(0).locator('[data-field=target]')).toHaveValue('12');
  await openTab(b, 'confirm');
  await expectConfirmed(b, fpA, fpB);
  await expect(confirmed(b)).toHaveText(banner);

  // Verified again from storage after a reload.
  await b.reload();
  await waitOnline(b);
  await openTab(b, 'confirm');
  await expectConfirmed(b, fpA, fpB);
  await expect(objections(b).nth(0)).toHaveAttribute('data-status', 'resolved');

  expect(errors).toEqual([]);
  await close();
});

test('an identity moves to another device with its export code; a bad code changes nothing', async ({ browser }) => {
  test.setTimeout(120_000);
  const { pages: [a, b, c], errors, add, close } = await openDevices(browser, 3);

  const { url, fpA } = await joinedSheet(a, b, 'Sheet for a second device');
  const code = await exportCode(a);
  // The code is this identity's, and the one kept in storage.
  expect(JSON.parse(await a.evaluate(() => localStorage.getItem('goals:identity')))).toBe(code);
  await expect(a.getByTestId('export-code')).toHaveAttribute('readonly', '');

  // C, a fresh device, has no identity; it makes one first.
  const fpC = await createIdentity(c, 'Carol');
  expect(fpC).not.toBe(fpA);
  const importForm = c.getByTestId('import-identity');
  const status = importForm.getByRole('status');
  const submitImport = () => importForm.locator('button[type=submit]').click();

  // Garbage codes are refused, and Carol stays.
  const stored = await c.evaluate(() => localStorage.getItem('goals:identity'));
  const last = code.slice(-1);
  const mistyped = code.slice(0, -1) + (last === 'A' ? 'B' : 'A');
  for (const bad of ['not a code at all', 'GS1-garbage', mistyped, code.slice(0, code.length - 6)]) {
    await importForm.locator('textarea[name=import-code]').fill(bad);
    await submitImport();
    await expect(status).toHaveText(/^Not imported: .+\.$/);
    await expect(status).toHaveClass(/\berrors\b/);
    expect(await shownIdentity(c)).toEqual({ name: 'Carol', fingerprint: fpC });
    await expect(c.getByTestId('me-link')).toHaveText('Carol');
    expect(await c.evaluate(() => localStorage.getItem('goals:identity'))).toBe(stored);
  }
  await importForm.locator('textarea[name=import-code]').fill('not a code at all');
  await submitImport();
  await expect(status).toHaveText('Not imported: this is not an identity code (it should start with GS1-).');

  // Alice's code replaces Carol on C, once C says so: Carol's key would be lost.
  await importForm.locator('textarea[name=import-code]').fill(code);
  await submitImport();
  const warning = c.getByTestId('replace-warning');
  await expect(warning).toContainText('This replaces Carol on this device with Alice.');
  expect(await shownIdentity(c)).toEqual({ name: 'Carol', fingerprint: fpC });
  await warning.getByTestId('confirm-replace').click();
  await expect(warning).toHaveCount(0);
  await expect(status).toHaveText('Identity imported: this device now signs as it.');
  await expect(status).toHaveClass(/\bok\b/);
  await expect(importForm.locator('textarea[name=import-code]')).toHaveValue('');
  await expect(c.getByTestId('identity-name')).toHaveText('Alice');
  await expect(c.getByTestId('identity-fingerprint')).toHaveText(fpA);
  await expect(c.getByTestId('me-link')).toHaveText('Alice');
  // The same export code, so the same key.
  await c.getByTestId('show-export').click();
  await expect(c.getByTestId('export-code')).toHaveValue(code);
  // A bad code now leaves Alice in place.
  await importForm.locator('textarea[name=import-code]').fill(mistyped);
  await submitImport();
  await expect(status).toHaveText(/^Not imported: /);
  await c.reload();
  await waitOnline(c);
  expect(await shownIdentity(c)).toEqual({ name: 'Alice', fingerprint: fpA });

  // On the sheet, C is Alice: the employee, "(you)", and may sign as the employee.
  await openSheet(c, url, 'Sheet for a second device');
  await openTab(c, 'confirm');
  await expect(party(c, 'employee')).toContainText('Alice');
  await expect(party(c, 'employee')).toContainText(fpA);
  await expect(party(c, 'employee')).toContainText('(you)');
  await expect(party(c, 'manager')).toContainText('Bob');
  await expect(party(c, 'manager')).not.toContainText('(you)');
  await expect(joinButton(c, 'employee')).toHaveCount(0);
  await expect(joinButton(c, 'manager')).toHaveCount(0);
  await expect(c.getByTestId('create-identity')).toHaveCount(0);
  await expect(c.getByTestId('raise-objection')).toBeVisible();
  await expect(signButton(c, 'employee')).toBeVisible();
  await expect(signButton(c, 'manager')).toHaveCount(0);

  // Signed on C, the signature is Alice's for A and B too.
  await signButton(c, 'employee').click();
  await expect(sigState(c, 'employee')).toHaveAttribute('data-state', 'valid');
  for (const p of [a, b]) {
    await p.goto(url);
    await waitOnline(p);
    await openTab(p, 'confirm');
    await expect(sigState(p, 'employee')).toHaveAttribute('data-state', 'valid');
    await expect(sigState(p, 'employee')).toHaveText(signedBy('Alice', fpA));
  }
  // A holds the same identity: its employee signature is done, so no button for it there.
  await expect(signButton(a, 'employee')).toHaveCount(0);

  // ---- The exported file, read back through the file input, on a fourth device. ----
  await a.goto('/me');
  await waitOnline(a);
  const [download] = await Promise.all([
    a.waitForEvent('download'),
    a.getByRole('button', { name: 'Download as a file' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('goal-sheets-identity.txt');
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const file = Buffer.concat(chunks);
  expect(file.toString('utf8').trim()).toBe(code);

  const d = await add();
  await d.goto('/me');
  await waitOnline(d);
  await expect(d.getByTestId('me-link')).toHaveText(NO_IDENTITY);
  const formD = d.getByTestId('import-identity');
  await formD.locator('input[type=file]').setInputFiles({ name: 'goal-sheets-identity.txt', mimeType: 'text/plain', buffer: file });
  await expect(formD.locator('textarea[name=import-code]')).toHaveValue(code);
  await formD.locator('button[type=submit]').click();
  await expect(formD.getByRole('status')).toHaveText('Identity imported: this device now signs as it.');
  expect(await shownIdentity(d)).toEqual({ name: 'Alice', fingerprint: fpA });
  await expect(d.getByTestId('create-identity')).toHaveCount(0);

  expect(errors).toEqual([]);
  await close();
});

test('a device with only the link verifies the signatures itself and offers no signing', async ({ browser }) => {
  test.setTimeout(120_000);
  const { pages: [a, b, d], errors, close } = await openDevices(browser, 3);
  const relayA = await relaySwitch(a.context());

  const { url, names, fpA, fpB } = await joinedSheet(a, b, 'Sheet seen by a third device');
  await bothSign(a, b, fpA, fpB);
  await expectConfirmed(b, fpA, fpB);
  const banner = await confirmed(a).textContent();
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  await expect(b.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // A goes offline and changes the agreement there: void on A, the relay does not know yet.
  relayA.block();
  await a.reload();
  await expect(a.getByTestId('net-status')).toHaveText('Offline', { timeout: 20_000 });
  await openTab(a, 'goals');
  await field(row(a, 1), 'measure').fill('Satisfaction survey ≥ 95%');
  await openTab(a, 'confirm');
  await expect(sigState(a, 'employee')).toHaveAttribute('data-state', 'void');
  await expect(sigState(a, 'manager')).toHaveAttribute('data-state', 'void');
  await expect(confirmed(a)).toHaveCount(0);

  // D has no identity and only the link: the sheet from the relay is confirmed, as D verifies it.
  await openSheet(d, url, 'Sheet seen by a third device');
  await expect(d.getByTestId('me-link')).toHaveText(NO_IDENTITY);
  await openTab(d, 'confirm');
  await expectConfirmed(d, fpA, fpB);
  await expect(confirmed(d)).toHaveText(banner);
  // No identity: the create form, nothing to join, sign, raise or answer.
  await expect(d.getByTestId('create-identity')).toBeVisible();
  await expect(party(d, 'employee')).toContainText('Alice');
  await expect(party(d, 'manager')).toContainText('Bob');
  await expect(d.getByText('(you)')).toHaveCount(0);
  for (const role of ['employee', 'manager']) {
    await expect(joinButton(d, role)).toHaveCount(0);
    await expect(signButton(d, role)).toHaveCount(0);
    await expect(notReady(d, role)).toHaveCount(0);
  }
  await expect(d.getByTestId('raise-objection')).toHaveCount(0);

  // A back online: its change reaches D, and D finds both signatures void.
  await relayA.unblock(a);
  await waitOnline(a);
  const change = `Goal “${names[1]}”, measure: `;
  for (const p of [d, b]) {
    for (const role of ['employee', 'manager']) {
      await expect(sigState(p, role)).toHaveAttribute('data-state', 'void');
      await expect(sigState(p, role).locator('ul.changes li')).toHaveCount(1);
      await expect(sigState(p, role).locator('ul.changes li')).toContainText(change);
      await expect(sigState(p, role).locator('ul.changes li')).toContainText('→ “Satisfaction survey ≥ 95%”');
      await expect(sigState(p, role)).toContainText(`Changed by Alice (${fpA}).`);
    }
    await expect(confirmed(p)).toHaveCount(0);
  }

  // D makes an identity right on the Confirm tab: it still cannot join (both roles are taken).
  await d.getByTestId('create-identity').locator('input[name=identity-name]').fill('Dora');
  await d.getByTestId('create-identity').locator('button[type=submit]').click();
  await expect(d.getByTestId('create-identity')).toHaveCount(0);
  await expect(d.getByTestId('me-link')).toHaveText('Dora');
  for (const role of ['employee', 'manager']) {
    await expect(joinButton(d, role)).toHaveCount(0);
    await expect(signButton(d, role)).toHaveCount(0);
  }
  await expect(d.getByTestId('raise-objection')).toHaveCount(0);

  expect(errors).toEqual([]);
  await close();
});

/** YYYY-MM-DD moved by n days (computed in UTC: no time zone creeps in). */
const shiftDay = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test('every part of the agreement voids both signatures; the title and the preparation do not', async ({ browser }) => {
  test.setTimeout(180_000);
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);

  const { names, fpA, fpB } = await joinedSheet(a, b, 'Sheet whose agreement changes');
  await bothSign(a, b, fpA, fpB);
  await expectConfirmed(b, fpA, fpB);
  const banner = await confirmed(b).textContent();

  // A edits (on the Goals tab, or the header above the tabs); B, on the Confirm tab, watches.
  await openTab(a, 'goals');
  const start = await a.getByTestId('cycle-start').inputValue();
  const end = await a.getByTestId('cycle-end').inputValue();
  const deadline = await field(row(a, 0), 'deadline').inputValue();
  const goal = `Goal “${names[0]}”`;
  const g0 = (name) => field(row(a, 0), name);
  const changes = [
    { what: 'employee name', el: a.getByTestId('sheet-employee'), from: 'Alice', to: 'Alicia', line: 'Employee: “Alice” → “Alicia”' },
    { what: 'manager name', el: a.getByTestId('sheet-manager'), from: 'Bob', to: 'Robert', line: 'Manager: “Bob” → “Robert”' },
    { what: 'cycle', el: a.getByTestId('cycle-kind'), select: true, from: 'quarterly', to: 'annual', line: 'Cycle: “Quarterly” → “Annual”' },
    { what: 'cycle start', el: a.getByTestId('cycle-start'), from: start, to: shiftDay(start, 1), line: `Cycle start: “${start}” → “${shiftDay(start, 1)}”` },
    { what: 'cycle end', el: a.getByTestId('cycle-end'), from: end, to: shiftDay(end, -1), line: `Cycle end: “${end}” → “${shiftDay(end, -1)}”` },
    { what: 'goal type', el: g0('type'), select: true, from: 'result', to: 'process', line: `${goal}, type: “Result” → “Process”` },
    { what: 'goal name', el: g0('name'), from: names[0], to: `${names[0]} and Fujian`, line: `${goal} (now “${names[0]} and Fujian”), name: “${names[0]}” → “${names[0]} and Fujian”` },
    { what: 'goal measure', el: g0('measure'), to: '10 new customers', line: new RegExp(`^${goal}, measure: “.+” → “10 new customers”$`) },
    { what: 'goal weight', el: g0('weight'), from: '50', to: '45', line: `${goal}, weight: “50%” → “45%”` },
    { what: 'goal deadline', el: g0('deadline'), from: deadline, to: shiftDay(deadline, -1), line: `${goal}, deadline: “${deadline}” → “${shiftDay(deadline, -1)}”` },
    { what: 'goal owner', el: g0('owner'), from: 'Alice', to: 'Alice and Chen', line: `${goal}, owner: “Alice” → “Alice and Chen”` },
    { what: 'goal support', el: g0('support'), to: 'Two more sales reps', line: new RegExp(`^${goal}, support: “.*” → “Two more sales reps”$`) },
  ];
  const set = async (c, value) => {
    if (c.select) await c.el.selectOption(value);
    else await c.el.fill(value);
    await expect(c.el).toHaveValue(value);
  };
  for (const c of changes) {
    const from = c.from ?? (await c.el.inputValue());
    if (c.from !== undefined) await expect(c.el, c.what).toHaveValue(c.from);
    await set(c, c.to);
    for (const role of ['employee', 'manager']) {
      const s = sigState(b, role);
      await expect(s, `${c.what} voids the ${role}'s signature`).toHaveAttribute('data-state', 'void');
      await expect(s.locator('ul.changes li'), c.what).toHaveText([c.line]);
      await expect(s, c.what).toContainText(`Changed by Alice (${fpA}).`);
    }
    await expect(confirmed(b)).toHaveCount(0);
    // Back to the signed content: valid again.
    await set(c, from);
    await expectConfirmed(b, fpA, fpB);
    await expect(confirmed(b)).toHaveText(banner);
  }

  // The title and the preparation are not part of the agreement.
  await a.getByTestId('sheet-title').fill('Renamed sheet');
  await openTab(a, 'prepare');
  await a.getByTestId('prep').locator('textarea[data-field=wishes]').fill('Wants to grow project-management skills');
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  await expect(b.getByTestId('sheet-title')).toHaveValue('Renamed sheet');
  await openTab(b, 'prepare');
  await expect(b.getByTestId('prep').locator('textarea[data-field=wishes]')).toHaveValue('Wants to grow project-management skills');
  await openTab(b, 'confirm');
  await expectConfirmed(b, fpA, fpB);
  await openTab(a, 'confirm');
  await expectConfirmed(a, fpA, fpB);

  expect(errors).toEqual([]);
  await close();
});

test('a party key crafted by anyone with the link shows as invalid, with the reason, and crashes nothing', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);
  await createIdentity(a, 'Alice');
  const { id, url } = await createSheet(a, { title: 'Sheet with a crafted key', employee: 'Alice', manager: 'Bob' });
  await fillExample(a);
  await openTab(a, 'confirm');
  await joinButton(a, 'employee').click();
  await expect(party(a, 'employee')).toContainText('Alice');
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // A peer that is not this app writes a "key" of Chinese characters as the manager's.
  const repo = await changeFromOtherPeer(baseURL, id, (d) => {
    d.parties.manager = { key: '中文中文', name: 'Mallory' };
  });
  const invalidKey = (p) => party(p, 'manager').getByTestId('party-key-invalid');
  await expect(invalidKey(a)).toHaveText('invalid key: it is not base58');
  await expect(party(a, 'manager')).toContainText('Mallory');
  await expect(notReady(a, 'employee')).toContainText("To sign: the manager's key on this sheet is not a valid public key: it is not base58");
  await expect(signButton(a, 'employee')).toHaveCount(0);
  await repo.shutdown();

  // A device opening the link, and A after a reload, read the sheet and say the same.
  await b.goto(url);
  await waitOnline(b);
  await openTab(b, 'confirm');
  await expect(invalidKey(b)).toHaveText('invalid key: it is not base58');
  await a.reload();
  await waitOnline(a);
  await openTab(a, 'confirm');
  await expect(invalidKey(a)).toHaveText('invalid key: it is not base58');
  await expect(party(a, 'employee').getByTestId('party-key-invalid')).toHaveCount(0);

  expect(errors).toEqual([]);
  await close();
});

test("a signature shows the name its party joined with and the key's fingerprint, never the record's own unsigned name", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);
  const { id, url, fpA, fpB } = await joinedSheet(a, b, 'Sheet whose signer is renamed');
  await bothSign(a, b, fpA, fpB);
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // Another peer rewrites the name stored in Alice's signature record (it is not signed).
  const repo = await changeFromOtherPeer(baseURL, id, (d) => {
    d.signatures.employee.name = 'The CEO';
    // A change outside the agreement in the same change, to see when it has arrived.
    d.title = 'Renamed by another peer';
  });
  await expect(b.getByTestId('sheet-title')).toHaveValue('Renamed by another peer');
  await expectConfirmed(b, fpA, fpB);
  await b.reload();
  await waitOnline(b);
  await openTab(b, 'confirm');
  // Still valid (the record's name is not covered), and still Alice with her key's fingerprint.
  await expectConfirmed(b, fpA, fpB);
  await expect(b.getByText('The CEO')).toHaveCount(0);
  await repo.shutdown();

  // The print view says the same; it is linked from the sheet's header.
  await b.getByTestId('print-link').click();
  await b.waitForURL(`${url}/print`);
  const printed = (role) => b.getByTestId(`print-signature-${role}`);
  await expect(printed('employee')).toHaveAttribute('data-state', 'valid');
  await expect(printed('employee')).toHaveText(new RegExp(`^Alice \\(${fpA}\\), \\d{1,2} \\w{3} \\d{4}$`));
  await expect(printed('manager')).toHaveText(new RegExp(`^Bob \\(${fpB}\\), `));
  await expect(b.getByTestId('print-signatures')).not.toContainText('The CEO');

  // A changes the agreement: the print view says both signatures are void, with who signed.
  await openTab(a, 'goals');
  await field(row(a, 0), 'weight').fill('45');
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  for (const [role, name, fp] of [['employee', 'Alice', fpA], ['manager', 'Bob', fpB]]) {
    await expect(printed(role)).toHaveAttribute('data-state', 'void');
    await expect(printed(role)).toHaveText(
      new RegExp(`^void: ${name} \\(${fp}\\) signed on \\d{1,2} \\w{3} \\d{4}, and the agreement has changed since$`),
    );
  }
  // A signature that does not verify is printed as not verified, with the reason.
  const repo2 = await changeFromOtherPeer(baseURL, id, (d) => {
    d.signatures.manager.sig = 'not a signature';
  });
  await expect(printed('manager')).toHaveAttribute('data-state', 'invalid');
  await expect(printed('manager')).toHaveText(/^not verified: the signature is malformed: /);
  await repo2.shutdown();

  expect(errors).toEqual([]);
  await close();
});

test('signing needs every goal named and every deadline inside the cycle', async ({ browser }) => {
  test.setTimeout(120_000);
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);
  await joinedSheet(a, b, 'Sheet with an unnamed goal');
  await expect(signButton(a, 'employee')).toBeVisible();
  await openTab(a, 'goals');
  const end = await a.getByTestId('cycle-end').inputValue();
  await field(row(a, 1), 'name').fill('');
  await field(row(a, 2), 'deadline').fill(shiftDay(end, 10));
  await openTab(a, 'confirm');
  const reasons = ['To sign: goal 2 has no name', "To sign: goal 3's deadline is outside the cycle"];
  await expect(notReady(a, 'employee').locator('li')).toHaveText(reasons);
  await expect(signButton(a, 'employee')).toHaveCount(0);
  await expect(notReady(b, 'manager').locator('li')).toHaveText(reasons);
  await expect(signButton(b, 'manager')).toHaveCount(0);
  expect(errors).toEqual([]);
  await close();
});
