// Two people (two browser contexts, so two separate devices) edit one sheet through the relay.
import { test, expect } from '@playwright/test';
import { addGoal, createSheet, expectColumn, expectGoal, field, openDevices, openSheet, row, rows, trackErrors, waitOnline } from './helpers.mjs';

test('the home page lists the sheets of this device', async ({ page }) => {
  const errors = trackErrors(page.context());
  await page.goto('/');
  await waitOnline(page);
  await expect(page.getByTestId('sheet-list-empty')).toBeVisible();
  const { id } = await createSheet(page, { title: 'Listed sheet' });
  await page.goto('/');
  const card = page.getByTestId('sheet-list').locator('a.sheet-card');
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute('href', `/sheet/${id}`);
  await expect(card).toContainText('Listed sheet');
  await expect(card).toContainText('Li Wei with Zhang Min');
  await card.click();
  await expect(page).toHaveURL(new RegExp(`/sheet/${id}$`));
  await expect(page.getByTestId('sheet-title')).toHaveValue('Listed sheet');
  expect(errors).toEqual([]);
});

test('a sheet archived from the list is listed apart, in every tab, and restored; it is never deleted', async ({ page }) => {
  const errors = trackErrors(page.context());
  const first = await createSheet(page, { title: 'Q1 goals' });
  const second = await createSheet(page, { title: 'Q2 goals' });
  await page.goto('/');
  await waitOnline(page);
  const listed = page.getByTestId('sheet-list').locator('a.sheet-card');
  const shelf = page.getByTestId('archived-sheets');
  const item = (scope, title) => scope.locator('li.sheet-item').filter({ hasText: title });
  await expect(listed).toHaveCount(2);
  await expect(shelf).toHaveCount(0);

  // A second tab of the same browser follows.
  const other = await page.context().newPage();
  await other.goto('/');
  await waitOnline(other);
  await expect(other.getByTestId('sheet-list').locator('a.sheet-card')).toHaveCount(2);

  await item(page.getByTestId('sheet-list'), 'Q1 goals').getByTestId('archive-toggle').click();
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText('Q2 goals');
  await expect(shelf.locator('summary')).toHaveText('Archived sheets (1)');
  await expect(other.getByTestId('sheet-list').locator('a.sheet-card')).toHaveCount(1);
  await expect(other.getByTestId('archived-sheets').locator('summary')).toHaveText('Archived sheets (1)');

  // Kept on reload; the archived sheet still opens from its card.
  await page.reload();
  await waitOnline(page);
  await expect(listed).toHaveCount(1);
  await shelf.locator('summary').click();
  await item(shelf, 'Q1 goals').locator('a.sheet-card').click();
  await expect(page).toHaveURL(new RegExp(`/sheet/${first.id}$`));
  await expect(page.getByTestId('sheet-title')).toHaveValue('Q1 goals');

  // Both archived: the list says where they are.
  await page.goto('/');
  await waitOnline(page);
  await item(page.getByTestId('sheet-list'), 'Q2 goals').getByTestId('archive-toggle').click();
  await expect(page.getByTestId('sheet-list-all-archived')).toBeVisible();
  await expect(shelf.locator('summary')).toHaveText('Archived sheets (2)');

  // Restored, one by one.
  await shelf.locator('summary').click();
  await item(shelf, 'Q2 goals').getByTestId('archive-toggle').click();
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText('Q2 goals');
  await item(shelf, 'Q1 goals').getByTestId('archive-toggle').click();
  await expect(listed).toHaveCount(2);
  await expect(shelf).toHaveCount(0);
  await expect(other.getByTestId('archived-sheets')).toHaveCount(0);

  // An unreadable list of archived sheets hides nothing.
  await item(page.getByTestId('sheet-list'), 'Q2 goals').getByTestId('archive-toggle').click();
  await expect(listed).toHaveCount(1);
  await page.evaluate(() => localStorage.setItem('goals:archived', '{not json'));
  await page.reload();
  await waitOnline(page);
  await expect(listed).toHaveCount(2);
  expect(second.id).not.toBe(first.id);
  expect(errors).toEqual([]);
});

test("the new sheet's dates follow the cycle chosen: the period around today, or around the start picked", async ({ page }) => {
  const errors = trackErrors(page.context());
  await page.clock.setFixedTime(new Date('2025-08-20T12:00:00'));
  await page.goto('/');
  await waitOnline(page);
  const form = page.getByTestId('new-sheet-form');
  const dates = async (cycle, start, end) => {
    if (cycle) await form.locator('select[name=cycle]').selectOption(cycle);
    await expect(form.locator('input[name=start]')).toHaveValue(start);
    await expect(form.locator('input[name=end]')).toHaveValue(end);
  };
  await dates(null, '2025-07-01', '2025-09-30');
  // The quarter switched to monthly is this month, not the quarter's first.
  await dates('monthly', '2025-08-01', '2025-08-31');
  await dates('annual', '2025-01-01', '2025-12-31');
  await dates('quarterly', '2025-07-01', '2025-09-30');
  // A start picked in another period: the cycles follow it.
  await form.locator('input[name=start]').fill('2026-01-01');
  await dates('monthly', '2026-01-01', '2026-01-31');
  await dates('quarterly', '2026-01-01', '2026-03-31');
  // Dates that do not fit the kind are pointed out, until they do.
  const mismatch = page.getByTestId('new-cycle-mismatch');
  await expect(mismatch).toHaveCount(0);
  await form.locator('input[name=end]').fill('2026-12-31');
  await expect(mismatch).toHaveText('These dates span 365 days: a quarterly cycle is about three months long.');
  await dates('annual', '2026-01-01', '2026-12-31');
  await expect(mismatch).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("a sheet whose cycle kind does not fit its dates says so, and one click fits them", async ({ page }) => {
  const errors = trackErrors(page.context());
  await page.clock.setFixedTime(new Date('2025-08-20T12:00:00'));
  await createSheet(page, { title: 'Kind and dates' });
  await expect(page.getByTestId('cycle-start')).toHaveValue('2025-07-01');
  const mismatch = page.getByTestId('cycle-mismatch');
  await expect(mismatch).toHaveCount(0);
  // Corrected to monthly, the quarter's dates stay (nothing changes by itself) but are flagged.
  await page.getByTestId('cycle-kind').selectOption('monthly');
  await expect(mismatch).toContainText('These dates span 92 days: a monthly cycle is about a month long.');
  await expect(page.getByTestId('cycle-end')).toHaveValue('2025-09-30');
  await page.getByTestId('fit-cycle-dates').click();
  await expect(page.getByTestId('cycle-start')).toHaveValue('2025-08-01');
  await expect(page.getByTestId('cycle-end')).toHaveValue('2025-08-31');
  await expect(mismatch).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('cycle-end')).toHaveValue('2025-08-31');
  await expect(page.getByTestId('cycle-kind')).toHaveValue('monthly');
  expect(errors).toEqual([]);
});

test('two people co-edit a sheet through the relay', async ({ browser }) => {
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);

  // A creates the sheet and fills three goals.
  const { id, url } = await createSheet(a, { title: 'Q3 sales goals', cycle: 'quarterly' });
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  const first = {
    type: 'result',
    name: 'New customers',
    measure: '8 new valid customers, signing rate ≥ 70%',
    weight: '50',
    deadline: '2026-09-30',
    owner: 'Li Wei',
    support: 'Leads from marketing',
  };
  await addGoal(a, first);
  await addGoal(a, { type: 'process', name: 'Customer visits', weight: '30' });
  await addGoal(a, { type: 'development', name: 'Negotiation course', weight: '10' });

  // The total is shown and flagged while it is not 100%.
  const totalA = a.getByTestId('weight-total');
  await expect(totalA).toHaveText('90%');
  await expect(totalA).toHaveClass(/\bbad\b/);
  await expect(totalA).not.toHaveClass(/\bok\b/);
  await expect(a.getByTestId('weight-hint')).toContainText('add 10%');

  // The share link is this page's address.
  await expect(a.getByTestId('share-link')).toHaveValue(url);
  const link = await a.getByTestId('share-link').inputValue();
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // B opens the link: the sheet arrives through the relay.
  await openSheet(b, link, 'Q3 sales goals');
  await expect(b.getByTestId('sheet-employee')).toHaveValue('Li Wei');
  await expect(b.getByTestId('sheet-manager')).toHaveValue('Zhang Min');
  await expect(b.getByTestId('cycle-kind')).toHaveValue('quarterly');
  await expect(b.getByTestId('cycle-start')).toHaveValue(await a.getByTestId('cycle-start').inputValue());
  await expect(b.getByTestId('cycle-end')).toHaveValue(await a.getByTestId('cycle-end').inputValue());
  await expect(rows(b)).toHaveCount(3);
  await expectGoal(row(b, 0), first);
  await expectColumn(b, 'name', ['New customers', 'Customer visits', 'Negotiation course']);
  await expectColumn(b, 'type', ['result', 'process', 'development']);
  await expectColumn(b, 'weight', ['50', '30', '10']);
  await expect(b.getByTestId('weight-total')).toHaveText('90%');
  await expect(b.getByTestId('weight-total')).toHaveClass(/\bbad\b/);
  await expect(b.getByTestId('share-link')).toHaveValue(link);
  await expect(b.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // An edit in A appears in B: the weights now total 100%.
  await field(row(a, 1), 'weight').fill('40');
  await expect(field(row(b, 1), 'weight')).toHaveValue('40');
  for (const p of [a, b]) {
    const total = p.getByTestId('weight-total');
    await expect(total).toHaveText('100%');
    await expect(total).toHaveClass(/\bok\b/);
    await expect(total).not.toHaveClass(/\bbad\b/);
    await expect(p.getByTestId('weight-hint')).toHaveText('');
  }

  // Edits in B appear in A: text, goal type, header, deadline.
  await field(row(b, 0), 'name').fill('New customers in South China');
  await field(row(b, 2), 'type').selectOption('result');
  await field(row(b, 2), 'deadline').fill('2026-08-15');
  await b.getByTestId('sheet-manager').fill('Zhang Min (sales director)');
  await expect(field(row(a, 0), 'name')).toHaveValue('New customers in South China');
  await expect(field(row(a, 2), 'type')).toHaveValue('result');
  await expect(field(row(a, 2), 'deadline')).toHaveValue('2026-08-15');
  await expect(a.getByTestId('sheet-manager')).toHaveValue('Zhang Min (sales director)');

  // Typing key by key in A arrives whole in B.
  await field(row(a, 1), 'support').click();
  await field(row(a, 1), 'support').pressSequentially('A car, twice a week');
  await expect(field(row(b, 1), 'support')).toHaveValue('A car, twice a week');

  // Cycle edits in A appear in B.
  await a.getByTestId('cycle-kind').selectOption('annual');
  await a.getByTestId('cycle-end').fill('2026-12-31');
  await expect(b.getByTestId('cycle-kind')).toHaveValue('annual');
  await expect(b.getByTestId('cycle-end')).toHaveValue('2026-12-31');

  // Reordering, from either side, is seen in both.
  await expect(row(a, 0).locator('[data-action=up]')).toBeDisabled();
  await expect(row(a, 2).locator('[data-action=down]')).toBeDisabled();
  await row(a, 2).locator('[data-action=up]').click();
  const afterUp = ['New customers in South China', 'Negotiation course', 'Customer visits'];
  await expectColumn(a, 'name', afterUp);
  await expectColumn(b, 'name', afterUp);
  await row(b, 0).locator('[data-action=down]').click();
  const afterDown = ['Negotiation course', 'New customers in South China', 'Customer visits'];
  await expectColumn(b, 'name', afterDown);
  await expectColumn(a, 'name', afterDown);
  // The rows moved with their content, not just their names.
  await expectColumn(a, 'weight', ['10', '50', '40']);
  await expectColumn(b, 'type', ['result', 'result', 'process']);
  await expect(row(b, 0).locator('td.num')).toHaveText('1');
  await expect(row(b, 0).locator('[data-action=up]')).toBeDisabled();
  await expect(row(b, 1).locator('[data-action=up]')).toBeEnabled();

  // Removing a row in B removes it in A; the total is flagged again.
  await row(b, 2).locator('[data-action=remove]').click();
  for (const p of [a, b]) {
    await expect(rows(p)).toHaveCount(2);
    await expectColumn(p, 'name', ['Negotiation course', 'New customers in South China']);
    await expect(p.getByTestId('weight-total')).toHaveText('60%');
    await expect(p.getByTestId('weight-total')).toHaveClass(/\bbad\b/);
  }
  // Removing in A too.
  await row(a, 0).locator('[data-action=remove]').click();
  for (const p of [a, b]) {
    await expectColumn(p, 'name', ['New customers in South China']);
    await expect(p.getByTestId('weight-total')).toHaveText('50%');
  }

  // Both are synced, and a fresh load of B (from its storage) still has everything.
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  await expect(b.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  await b.reload();
  await expect(b.getByTestId('sheet-title')).toHaveValue('Q3 sales goals');
  await expectGoal(row(b, 0), {
    type: 'result',
    name: 'New customers in South China',
    weight: '50',
    deadline: '2026-09-30',
  });
  expect(await b.evaluate((key) => localStorage.getItem(key) !== null, `goals:doc:${id}`)).toBe(true);

  expect(errors).toEqual([]);
  await close();
});
