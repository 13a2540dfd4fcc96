// Issue 7: the cascade tree across sheets and devices, the next cycle, the print view and CSV,
// and the Chinese UI.
import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { addGoal, changeFromOtherPeer, createSheet, field, fillExample, netStatus, openDevices, randomDocumentId, row, rows, trackErrors, waitOnline } from './helpers.mjs';

/** On the home page, make a department's sheet with one goal; returns its URL. */
async function departmentSheet(page, { title, name, goal }) {
  await page.goto('/');
  await waitOnline(page);
  const form = page.getByTestId('new-sheet-form');
  await expect(form.locator('input[name=start]')).not.toHaveValue('');
  await form.locator('input[name=title]').fill(title);
  await form.locator('input[name=employee]').fill(name);
  await form.locator('input[name=manager]').fill('Director');
  await form.locator('input[name=department]').check();
  await form.locator('button[type=submit]').click();
  await page.waitForURL(/\/sheet\/[^/]+$/);
  await expect(page.getByTestId('department-sheet')).toBeVisible();
  await addGoal(page, { name: goal, weight: 100 });
  return page.url();
}

async function recordCheckIn(page, progress) {
  await page.getByTestId('tab-follow-up').click();
  await page.getByTestId('add-check-in').first().click();
  const entry = page.getByTestId('check-in').last();
  await entry.locator('[data-field=progress]').fill(String(progress));
  await expect(entry.locator('[data-field=progress]')).toHaveValue(String(progress));
  await page.getByTestId('tab-goals').click();
}

test('the template cascade shows as a tree with a roll-up, on another device too', async ({ browser }) => {
  const ctx = await browser.newContext();
  const errors = trackErrors(ctx);
  const page = await ctx.newPage();
  // The department's sheet.
  await page.goto('/');
  await waitOnline(page);
  const form = page.getByTestId('new-sheet-form');
  await expect(form.locator('input[name=start]')).not.toHaveValue('');
  await form.locator('input[name=title]').fill('Sales Q3');
  await form.locator('input[name=employee]').fill('Sales department');
  await form.locator('input[name=manager]').fill('Director');
  await form.locator('input[name=department]').check();
  await form.locator('button[type=submit]').click();
  await page.waitForURL(/\/sheet\/[^/]+$/);
  const dept = { url: page.url() };
  await expect(page.getByTestId('department-sheet')).toBeVisible();
  await addGoal(page, { name: 'Q3 sales +15%', weight: 100 });
  // Two employees' sheets, attached to it, each goal serving the department goal.
  const employees = [
    ['Employee A', 'South China: 8 new customers in Q3, sales +12%', 60, 50],
    ['Employee B', 'East China: 12 new customers in Q3, sales +18%', 40, 80],
  ];
  for (const [who, goal, weight, progress] of employees) {
    await createSheet(page, { title: `${who} Q3`, employee: who });
    await page.getByTestId('department').selectOption({ label: 'Sales department' });
    const r = await addGoal(page, { name: goal, weight });
    // Attached but not yet linked: the relevance hint asks for the link.
    await expect(page.locator('[data-testid=goal-hints] [data-hint=not-linked]')).toBeVisible();
    await page.locator('[data-testid=goal-hints] [data-field=link]').selectOption({ label: 'Q3 sales +15%' });
    await expect(page.locator('[data-testid=goal-hints] [data-hint=not-linked]')).toHaveCount(0);
    await expect(field(r, 'name')).toHaveValue(goal);
    await recordCheckIn(page, progress);
  }
  await page.goto(dept.url);
  await page.getByTestId('tab-cascade').click();
  const node = page.getByTestId('cascade-node');
  await expect(node.getByTestId('node-name')).toHaveText('Q3 sales +15%');
  await expect(node.getByTestId('cascade-branch')).toHaveText([
    /Employee A: South China: 8 new customers in Q3, sales \+12% · weight 60% · 50% done/,
    /Employee B: East China: 12 new customers in Q3, sales \+18% · weight 40% · 80% done/,
  ]);
  // (60 × 50 + 40 × 80) ÷ 100 = 62
  await expect(node.getByTestId('node-rollup')).toContainText('62%');
  await page.screenshot({ path: 'test-results/cascade-tree.png', fullPage: true });

  // Another device with only the department's link: the members' sheets are fetched from the
  // relay and the same tree is built there.
  const other = await browser.newContext();
  const p2 = await other.newPage();
  await p2.goto(dept.url);
  await waitOnline(p2);
  await p2.getByTestId('tab-cascade').click();
  await expect(p2.getByTestId('cascade-branch')).toHaveCount(2, { timeout: 15_000 });
  await expect(p2.getByTestId('node-rollup')).toContainText('62%');
  expect(errors).toEqual([]);
  await other.close();
  await ctx.close();
});

test('starting the next cycle carries the missed goal, its plan and the development plan', async ({ page }) => {
  const errors = trackErrors(page.context());
  const sheet = await createSheet(page, { title: 'Li Wei Q3', cycle: 'quarterly' });
  await fillExample(page);
  // Assess: the first goal is missed (10 of 12), the others met.
  await page.getByTestId('tab-assessment').click();
  const results = [['12', '10'], ['5', '4'], ['90', '95']];
  const assess = page.getByTestId('assess-row');
  await assess.nth(1).locator('[data-field=direction]').selectOption('at_most');
  for (let i = 0; i < 3; i++) {
    await assess.nth(i).locator('[data-field=target]').fill(results[i][0]);
    await assess.nth(i).locator('[data-field=achieved]').fill(results[i][1]);
  }
  await expect(page.getByTestId('final-score')).not.toHaveText('—');
  // Results: why it was missed, the plan, the development plan.
  await page.getByTestId('tab-results').click();
  const missed = page.getByTestId('missed-goal');
  await expect(missed).toHaveCount(1);
  await expect(missed).toContainText('South China');
  await missed.locator('[data-field=cause]').selectOption('resources');
  await missed.locator('[data-field=plan]').fill('two regional ad placements from Marketing');
  await page.getByTestId('add-dev-item').click();
  await page.getByTestId('dev-item').locator('[data-field=dev-text]').fill('2 data-analysis trainings next quarter');
  await page.locator('[data-field=training]').fill('priority for leadership training');
  await page.getByTestId('start-next-cycle').click();
  await page.waitForURL((url) => url.pathname.startsWith('/sheet/') && !url.pathname.endsWith(sheet.id));
  // The new sheet: the next quarter, the missed goal and the development item carried over.
  await expect(page.getByTestId('sheet-title')).toHaveValue(/Li Wei · \d{4} Q\d/);
  await expect(rows(page)).toHaveCount(2);
  await expect(field(row(page, 0), 'name')).toHaveValue(/South China: new customers in Q\d/);
  await expect(field(row(page, 0), 'support')).toHaveValue(/Improvement plan: two regional ad placements from Marketing/);
  await expect(field(row(page, 1), 'name')).toHaveValue('2 data-analysis trainings next quarter');
  await expect(field(row(page, 1), 'type')).toHaveValue('development');
  await page.getByTestId('tab-prepare').click();
  await expect(page.locator('[data-field=last_results]')).toHaveValue(/missed: resources\); plan: two regional ad placements/);
  // Linked both ways.
  await page.getByTestId('tab-results').click();
  await page.getByTestId('previous-cycle').click();
  await expect(page).toHaveURL(sheet.url);
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('next-cycle')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the print view renders Template 1 and 2, and CSV downloads hold the rows', async ({ page }) => {
  const sheet = await createSheet(page, { title: 'Print me' });
  await fillExample(page);
  await page.getByTestId('tab-follow-up').click();
  await page.getByTestId('add-check-in').first().click();
  await page.getByTestId('check-in').locator('[data-field=problems]').fill('not enough customer leads, new-customer count suffers');
  // The sheet's header links to its print view.
  await expect(page.getByTestId('print-link')).toHaveText('Print / CSV');
  await page.getByTestId('print-link').click();
  await page.waitForURL(`${sheet.url}/print`);
  await expect(page.getByTestId('print-goals').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('print-check-ins').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('print-check-ins')).toContainText('not enough customer leads');
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: 'test-results/print-sheet.pdf', format: 'A4', printBackground: true });
  await page.screenshot({ path: 'test-results/print-sheet.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  const download = page.waitForEvent('download');
  await page.getByTestId('csv-goals').click();
  const csv = await readFile(await (await download).path(), 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('Goal type,Goal name,Measure (key results),Weight (%),Deadline,Owner,Support needed');
  expect(lines).toHaveLength(4);
  expect(lines[1]).toMatch(/^Result,South China: new customers in Q\d,"8 new valid customers, signing rate ≥ 70%",50,/);
  const download2 = page.waitForEvent('download');
  await page.getByTestId('csv-check-ins').click();
  const records = await readFile(await (await download2).path(), 'utf8');
  expect(records).toContain('"not enough customer leads, new-customer count suffers"');
});

test('switching to zh-CN shows the template terms, and a zh-CN browser starts in Chinese', async ({ browser }) => {
  const { pages: [page], errors, close } = await openDevices(browser, 1);
  const sheet = await createSheet(page, { title: 'Language' });
  await fillExample(page);
  // Switched while a field still has the focus: the field is taken down with the old view.
  await field(row(page, 0), 'support').fill('Typed just before switching');
  await expect(field(row(page, 0), 'support')).toBeFocused();
  await page.getByTestId('lang').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(field(row(page, 0), 'support')).toHaveValue('Typed just before switching');
  const head = page.getByTestId('goals').locator('thead');
  for (const term of ['目标类型', '衡量标准(关键成果)', '权重(%)', '完成时限', '责任人', '所需支持']) {
    await expect(head).toContainText(term);
  }
  await expect(field(row(page, 0), 'type').locator('option:checked')).toHaveText('结果型');
  await page.getByTestId('tab-follow-up').click();
  await expect(page.getByTestId('cadence')).toContainText('每两周跟进1次');
  // No check-ins yet: the timeline's empty headings are not shown.
  await expect(page.getByTestId('timeline').first()).toBeHidden();
  await page.getByTestId('add-check-in').first().click();
  const timeline = page.getByTestId('timeline').first().locator('thead');
  for (const term of ['跟进日期', '当前进度(%)', '主要进展', '存在问题', '解决方案', '下一步计划']) {
    await expect(timeline).toContainText(term);
  }
  await page.screenshot({ path: 'test-results/zh-follow-up.png', fullPage: true });
  // The print view follows the language.
  await expect(page.getByTestId('print-link')).toHaveText('打印 / 导出 CSV');
  await page.goto(`${sheet.url}/print`);
  await expect(page.getByTestId('print-goals').locator('thead')).toContainText('目标类型');
  await expect(page.getByTestId('print-check-ins').locator('thead')).toContainText('当前进度(%)');
  await expect(page.getByTestId('csv-goals')).toHaveText('导出目标 CSV');
  await expect(page.getByTestId('print-signatures')).toContainText('确认签字:员工:');
  await page.screenshot({ path: 'test-results/zh-print.png', fullPage: true });
  // The choice is remembered, and switching back works.
  await page.goto('/');
  await expect(page.getByTestId('lang')).toHaveValue('zh-CN');
  await page.getByTestId('lang').selectOption('en');
  await expect(page.locator('h1')).toHaveText('My goal sheets');
  expect(errors).toEqual([]);
  await close();

  // A browser whose language is Chinese starts in Chinese.
  const zh = await browser.newContext({ locale: 'zh-CN' });
  const p = await zh.newPage();
  await p.goto('/');
  await expect(p.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(p.getByTestId('lang')).toHaveValue('zh-CN');
  await zh.close();
});

test('the next cycle started in zh-CN is written in Chinese', async ({ browser }) => {
  const { pages: [page], errors, close } = await openDevices(browser, 1);
  await page.clock.setFixedTime(new Date('2025-08-15T12:00:00'));
  await createSheet(page, { title: 'Li Wei Q3', employee: 'Li Wei', cycle: 'quarterly' });
  await fillExample(page);
  // The first goal is missed: 10 of 12.
  await page.getByTestId('tab-assessment').click();
  const assess = page.getByTestId('assess-row').nth(0);
  await assess.locator('[data-field=target]').fill('12');
  await assess.locator('[data-field=achieved]').fill('10');
  await page.getByTestId('tab-results').click();
  const missed = page.getByTestId('missed-goal').first();
  await expect(missed).toContainText('South China');
  await missed.locator('[data-field=cause]').selectOption('resources');
  await missed.locator('[data-field=plan]').fill('two regional ad placements');
  await page.getByTestId('lang').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('tab-results').click();
  const id = new URL(page.url()).pathname.split('/').pop();
  await page.getByTestId('start-next-cycle').click();
  await page.waitForURL((url) => url.pathname.startsWith('/sheet/') && !url.pathname.endsWith(id));
  await expect(page.getByTestId('sheet-title')).toHaveValue('Li Wei · 2025年第4季度');
  await expect(field(row(page, 0), 'support')).toHaveValue(/改进计划:two regional ad placements$/);
  await page.getByTestId('tab-prepare').click();
  const last = page.locator('[data-field=last_results]');
  await expect(last).toHaveValue(/^承接自Li Wei Q3\(2025年7月1日 – 2025年9月30日\)。\n未达成的目标:\n• /);
  await expect(last).toHaveValue(/\(未达成:资源不足\);改进计划:two regional ad placements/);
  await expect(last).not.toHaveValue(/Carried over|Missed goals|missed/);
  expect(errors).toEqual([]);
  await close();
});

test('a goal is missed when assessed below target, or short of 100% once the cycle has ended; not merely unassessed', async ({ browser }) => {
  const { pages: [page], errors, close } = await openDevices(browser, 1);
  await page.clock.setFixedTime(new Date('2025-08-15T12:00:00'));
  const { url } = await createSheet(page, { title: 'Missed or not', cycle: 'quarterly' });
  await fillExample(page);
  const missed = page.getByTestId('missed-goal');
  // Mid-cycle, nothing assessed, nothing recorded: nothing is missed.
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('results')).toContainText('No goal is missed');
  await expect(missed).toHaveCount(0);
  // The first goal assessed below target (10 of 12): missed. The second 60% done: in progress.
  await page.getByTestId('tab-assessment').click();
  const assess = page.getByTestId('assess-row').nth(0);
  await assess.locator('[data-field=target]').fill('12');
  await assess.locator('[data-field=achieved]').fill('10');
  await page.getByTestId('tab-follow-up').click();
  await page.getByTestId('add-check-in').nth(1).click();
  const checkIn = page.getByTestId('goal-follow-up').nth(1).getByTestId('check-in');
  await checkIn.locator('[data-field=progress]').fill('60');
  await expect(checkIn.locator('[data-field=progress]')).toHaveValue('60');
  await page.getByTestId('tab-results').click();
  await expect(missed).toHaveCount(1);
  await expect(missed.locator('strong')).toHaveText(['South China: new customers in Q3']);
  // After the cycle's end the second, still at 60%, is missed too; the third (no record) is not.
  await page.clock.setFixedTime(new Date('2025-10-02T12:00:00'));
  await page.goto(url);
  await page.getByTestId('tab-results').click();
  await expect(missed.locator('strong')).toHaveText(['South China: new customers in Q3', 'Raise customer satisfaction']);
  expect(errors).toEqual([]);
  await close();
});

test('a device that never had the department sheet shows the linked goal and captures good practice, offline too', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);

  // A: the department's sheet with its knowledge base, and an employee's sheet linked to it.
  const deptUrl = await departmentSheet(a, { title: 'Sales Q3', name: 'Sales department', goal: 'Q3 sales +15%' });
  await a.getByTestId('tab-results').click();
  await a.getByTestId('create-kb').click();
  await expect(a.getByTestId('capture-practice')).toBeVisible();
  const kbUrl = new URL(await a.getByTestId('open-kb').getAttribute('href'), deptUrl).href;
  const employee = await createSheet(a, { title: 'Employee A Q3', employee: 'Employee A' });
  await a.getByTestId('department').selectOption({ label: 'Sales department' });
  await addGoal(a, { name: 'South China: 8 new customers', weight: 100 });
  const linkA = a.locator('[data-testid=goal-hints] [data-field=link]');
  await linkA.selectOption({ label: 'Q3 sales +15%' });
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // B has only the employee's link: the linked goal is named, the knowledge base found.
  await b.goto(employee.url);
  await waitOnline(b);
  const linkB = b.locator('[data-testid=goal-hints] [data-field=link]');
  await expect(linkB.locator('option:checked')).toHaveText('Q3 sales +15%');
  await b.getByTestId('tab-results').click();
  const capture = b.getByTestId('capture-practice');
  await expect(capture).toBeVisible();

  // B goes offline and captures a practice into a knowledge base it has never had.
  await b.context().setOffline(true);
  await expect(netStatus(b)).toHaveText('Offline');
  const practice = 'Cross-department collaboration delivered the project early';
  await capture.locator('[data-field=practice]').fill(practice);
  await capture.locator('[data-field=tags]').fill('collaboration');
  await capture.locator('button[type=submit]').click();
  await expect(b.getByTestId('results').getByRole('status')).toHaveText("Captured in the department's knowledge base.");
  await expect(capture.locator('[data-field=practice]')).toHaveValue('');

  // Back online, it merges into the department's knowledge base, which A sees.
  await b.context().setOffline(false);
  await a.goto(kbUrl);
  await expect(a.getByTestId('kb-name')).toHaveText('Sales department knowledge base');
  await expect(a.getByTestId('practice')).toHaveCount(1, { timeout: 20_000 });
  await expect(a.getByTestId('practice').locator('.practice-text')).toHaveText(practice);

  // Adding to something that is not a knowledge base fails, says why, and keeps the text.
  await b.goto(`/kb/${employee.id}`);
  await waitOnline(b);
  const form = b.locator('form:has([data-field=practice])');
  await form.locator('[data-field=practice]').fill('Keep this text');
  await form.locator('button[type=submit]').click();
  await expect(b.getByTestId('kb-problem')).toHaveText('Not added: this document is not a knowledge base');
  await expect(form.locator('[data-field=practice]')).toHaveValue('Keep this text');

  expect(errors).toEqual([]);
  await close();
});

test('a link to a department goal keeps its name where the department sheet never arrives', async ({ browser, baseURL }) => {
  const { pages: [page], errors, close } = await openDevices(browser, 1);
  const { id } = await createSheet(page, { title: 'Employee B Q3', employee: 'Employee B' });
  await addGoal(page, { name: 'East China: 12 new customers', weight: 100 });
  await expect(page.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  // Another peer attaches the sheet to a department nobody can fetch, and links the goal to
  // one of its goals, with the goal's name.
  const dept = randomDocumentId();
  const repo = await changeFromOtherPeer(baseURL, id, (d) => {
    d.department = { sheet: dept, name: 'East region' };
    const [rowId] = Object.keys(d.goals);
    d.goals[rowId].link = { sheet: dept, row: 'g00000000000000aa', name: 'Q3 sales +15%' };
  });
  const link = page.locator('[data-testid=goal-hints] [data-field=link]');
  await expect(link.locator('option:checked')).toHaveText('Q3 sales +15%');
  await repo.shutdown();
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('capture-waiting')).toHaveText(
    "Neither this device nor the relay has the department's sheet, so its knowledge base is not known here.",
  );
  expect(errors).toEqual([]);
  await close();
});

test("a department's sheet names the department, not an employee", async ({ page }) => {
  const errors = trackErrors(page.context());
  await page.goto('/');
  await waitOnline(page);
  const form = page.getByTestId('new-sheet-form');
  const nameLabel = form.locator('label:has(input[name=employee])');
  await expect(nameLabel).toContainText('Employee');
  await form.locator('input[name=department]').check();
  await expect(nameLabel).toContainText('Department name');
  await expect(nameLabel).not.toContainText('Employee');
  await form.locator('input[name=title]').fill('Sales Q3');
  await form.locator('input[name=manager]').fill('Director');
  await form.locator('input[name=employee]').fill('Sales department');
  await form.locator('button[type=submit]').click();
  await page.waitForURL(/\/sheet\/[^/]+$/);
  const header = page.locator('.sheet-meta label:has([data-testid=sheet-employee])');
  await expect(header).toContainText('Department name');
  await expect(header).not.toContainText('Employee');
  await page.getByTestId('lang').selectOption('zh-CN');
  await expect(page.locator('.sheet-meta label:has([data-testid=sheet-employee])')).toContainText('部门名称');
  await page.getByTestId('lang').selectOption('en');
  await page.getByTestId('print-link').click();
  await expect(page.locator('.print-meta')).toContainText('Department: Sales department · Manager: Director');
  expect(errors).toEqual([]);
});
