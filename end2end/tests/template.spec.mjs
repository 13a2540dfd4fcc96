// The template's steps end to end (issue 4): a quarterly sheet made from the template's example,
// two check-ins on a goal with their timeline and the next due date, the assessment with its
// working and final score, and a second device that sees the same figures after sync.
//
// Every date the app shows depends on "today" and the current quarter, so the test reads today
// from the browser (the app's time zone) and computes the expected dates and figures from the
// dates it entered, the way the template defines them.
import { test, expect } from '@playwright/test';
import { changeFromOtherPeer, createSheet, field, fillExample, openDevices, openSheet, openTab, row, rows, tab, waitOnline } from './helpers.mjs';

// ---- Dates as YYYY-MM-DD, computed in UTC so that no time zone or DST shift creeps in. ----
const DAY_MS = 86_400_000;
const toDay = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
};
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const addDays = (date, n) => iso(toDay(date) + n * DAY_MS);
const daysBetween = (from, to) => Math.round((toDay(to) - toDay(from)) / DAY_MS);
const minDate = (a, b) => (a < b ? a : b);
const maxDate = (a, b) => (a > b ? a : b);

/** Today in the browser's time zone, as the app reads it. */
const browserToday = (page) =>
  page.evaluate(() => {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });

/**
 * The follow-up status the template gives a quarterly sheet: the next check-in is two weeks
 * after the latest one (or the cycle's start), never after the cycle's end.
 */
function expectedStatus({ today, start, end, last }) {
  if (today > end) return { status: 'ended', text: 'The cycle has ended: time for the assessment.', badge: null };
  const next = minDate(addDays(last ? maxDate(last, start) : start, 14), end);
  if (today < start) return { status: 'not-started', text: `The cycle has not started; first check-in ${next}`, badge: null };
  if (last && last >= end) return { status: 'ended', text: 'The cycle has ended: time for the assessment.', badge: null };
  if (today < next) return { status: 'upcoming', text: `Next check-in: ${next}`, badge: null, next };
  if (today === next) return { status: 'due', text: 'Check-in due today', badge: 'Check-in due today', next };
  return { status: 'overdue', text: `Check-in overdue: it was due ${next}`, badge: `Check-in overdue since ${next}`, next };
}

/** "40% done, 20% behind plan": the plan grows linearly from the cycle's start to the deadline. */
function expectedPlanGap({ start, deadline, date, progress }) {
  const span = daysBetween(start, deadline);
  const elapsed = Math.min(Math.max(daysBetween(start, date), 0), span);
  const expected = Math.round(100 * (elapsed / span));
  const gap = progress - expected;
  if (gap === 0) return `${progress}% done, on plan`;
  return gap < 0 ? `${progress}% done, ${-gap}% behind plan` : `${progress}% done, ${gap}% ahead of plan`;
}

/** Rounded to one decimal, as the app shows scores. */
const oneDecimal = (x) => Math.round(x * 10) / 10;

const followUps = (page) => page.getByTestId('goal-follow-up');
const checkIns = (section) => section.getByTestId('timeline').locator('tr[data-testid=check-in]');
const ciField = (r, name) => r.locator(`[data-field=${name}]`);

/** Expect a goal's timeline to show exactly these check-ins, in this order. */
async function expectTimeline(section, entries) {
  const list = checkIns(section);
  await expect(list).toHaveCount(entries.length);
  for (const [i, e] of entries.entries()) {
    for (const [name, value] of Object.entries(e)) {
      await expect(ciField(list.nth(i), name)).toHaveValue(String(value));
    }
  }
}

/** Fill the given fields of a check-in row. */
async function fillCheckIn(r, values) {
  for (const [name, value] of Object.entries(values)) {
    const f = ciField(r, name);
    await f.fill(String(value));
    await expect(f).toHaveValue(String(value));
  }
}

async function expectNextCheckIn(page, expected) {
  const next = page.getByTestId('next-check-in');
  await expect(next).toHaveText(expected.text);
  await expect(next).toHaveAttribute('data-status', expected.status);
}

/** The home page's card of a sheet shows the due badge exactly when a check-in is due. */
async function expectHomeBadge(page, id, expected) {
  await page.goto('/');
  await waitOnline(page);
  const card = page.locator(`a.sheet-card[href="/sheet/${id}"]`);
  await expect(card).toHaveCount(1);
  const badge = card.getByTestId('check-in-due');
  if (expected.badge) await expect(badge).toHaveText(expected.badge);
  else await expect(badge).toHaveCount(0);
}

const scores = (page) => page.getByTestId('assess-row').getByTestId('goal-score');

async function expectScores(page, { goals, quantitative, final }) {
  await expect(scores(page)).toHaveText(goals);
  await expect(page.getByTestId('quantitative')).toHaveText(`Quantitative score: ${quantitative}`);
  await expect(page.getByTestId('behaviour')).toHaveText('Behaviour score: 100 − 10 (repeated late feedback) = 90');
  await expect(page.getByTestId('final-working')).toHaveText(final.working);
  await expect(page.getByTestId('final-score')).toHaveText(final.score);
}

const CAPPED = {
  goals: [
    '83 = 10 ÷ 12 = 83.33% → 83',
    '100 = 5 ÷ 4 (ceiling) = 125% → 125, capped at 100',
    '100 = 95 ÷ 90 = 105.56% → 106, capped at 100',
  ],
  quantitative: '50% × 83 + 30% × 100 + 20% × 100 = 91.5',
  final: { working: '70% × 91.5 + 30% × 90 = 91.1', score: '91.1' },
};
const UNCAPPED = {
  goals: ['83 = 10 ÷ 12 = 83.33% → 83', '125 = 5 ÷ 4 (ceiling) = 125% → 125', '106 = 95 ÷ 90 = 105.56% → 106'],
  quantitative: '50% × 83 + 30% × 125 + 20% × 106 = 100.2',
  final: { working: '70% × 100.2 + 30% × 90 = 97.1', score: '97.1' },
};

const PREP = {
  strategy: 'Customer retention +8% this year',
  dept_tasks: 'Open South China; sales +15%',
  duties: 'Key-account sales for Guangdong and Fujian',
  last_results: 'Customer satisfaction needs to improve',
  wishes: 'Wants to grow project-management skills',
};

test('a quarterly sheet from the example: check-ins, next due date, assessment, and a second device', async ({ browser }) => {
  test.setTimeout(180_000);
  const { pages: [a, b], errors, close } = await openDevices(browser, 2);

  await a.goto('/');
  await waitOnline(a);
  const today = await browserToday(a);

  // ---- A creates a quarterly sheet over the current quarter (the form's default). ----
  const form = a.getByTestId('new-sheet-form');
  await expect(form.locator('select[name=cycle]')).toHaveValue('quarterly');
  await expect(form.locator('input[name=start]')).not.toHaveValue('');
  let start = await form.locator('input[name=start]').inputValue();
  const end = await form.locator('input[name=end]').inputValue();
  expect(start <= today && today <= end, `today ${today} in the default quarter ${start} – ${end}`).toBe(true);
  // The first check-in goes three days after the start and must come before today's: in the
  // first days of a quarter, start the cycle ten days back instead (still a quarterly cycle).
  const startOverride = daysBetween(start, today) < 4 ? addDays(today, -10) : null;
  if (startOverride) start = startOverride;
  const { id, url } = await createSheet(a, {
    title: 'Quarterly goals from the template',
    employee: 'Li Wei',
    manager: 'Zhang Min',
    cycle: 'quarterly',
    ...(startOverride ? { start: startOverride } : {}),
  });
  await expect(a.getByTestId('cycle-kind')).toHaveValue('quarterly');
  await expect(a.getByTestId('cycle-start')).toHaveValue(start);
  await expect(a.getByTestId('cycle-end')).toHaveValue(end);

  // ---- Step 2: the example fills the goals; the weights total 100% and no hint shows. ----
  await expect(tab(a, 'goals')).toHaveAttribute('aria-selected', 'true');
  await expect(rows(a)).toHaveCount(0);
  await fillExample(a);
  await expect(a.getByTestId('fill-example')).toHaveCount(0);
  const quarter = Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1;
  const names = [`South China: new customers in Q${quarter}`, 'Raise customer satisfaction', 'Product knowledge'];
  const goals = [
    { name: names[0], type: 'result', weight: '50', owner: 'Li Wei' },
    { name: names[1], type: 'process', weight: '30', owner: 'Li Wei' },
    { name: names[2], type: 'development', weight: '20', owner: 'Li Wei' },
  ];
  for (const [i, g] of goals.entries()) {
    for (const [name, value] of Object.entries(g)) await expect(field(row(a, i), name)).toHaveValue(value);
    const deadline = await field(row(a, i), 'deadline').inputValue();
    expect(deadline >= start && deadline <= end, `goal ${i + 1}'s deadline ${deadline} inside the cycle`).toBe(true);
  }
  const deadline = await field(row(a, 0), 'deadline').inputValue();
  await expect(a.getByTestId('weight-total')).toHaveText('100%');
  await expect(a.getByTestId('goal-hints')).toHaveCount(3);
  await expect(a.locator('li.hint-item')).toHaveCount(0);

  // A vague name gets its hint while typed; restoring the name takes it away again.
  await field(row(a, 0), 'name').fill('improve performance');
  const hints0 = a.getByTestId('goal-hints').nth(0);
  await expect(hints0.locator('li.hint-item')).toHaveCount(1);
  await expect(hints0.locator('li.hint-item[data-hint=vague-name]')).toContainText('Too vague: say what and where, with a number');
  // Only the edited goal has a hint.
  await expect(a.locator('li.hint-item')).toHaveCount(1);
  await field(row(a, 0), 'name').fill(names[0]);
  await expect(field(row(a, 0), 'name')).toHaveValue(names[0]);
  await expect(a.locator('li.hint-item')).toHaveCount(0);

  // ---- Step 1: the preparation pane. ----
  await openTab(a, 'prepare');
  const prepA = a.getByTestId('prep');
  for (const [key, value] of Object.entries(PREP)) {
    await prepA.locator(`textarea[data-field=${key}]`).fill(value);
  }
  for (const [key, value] of Object.entries(PREP)) {
    await expect(prepA.locator(`textarea[data-field=${key}]`)).toHaveValue(value);
  }

  // ---- Before any check-in, the home page's badge agrees with the follow-up tab. ----
  await openTab(a, 'follow-up');
  await expect(a.getByTestId('cadence')).toHaveText('Quarterly cycle: check in every two weeks.');
  const none = expectedStatus({ today, start, end, last: null });
  await expectNextCheckIn(a, none);
  await expect(followUps(a)).toHaveCount(3);
  await expect(followUps(a).locator('h3')).toHaveText(names);
  await expect(followUps(a).getByTestId('plan-gap')).toHaveText(Array(3).fill('No check-ins yet'));
  await expectHomeBadge(a, id, none);
  await a.goto(url);
  await expect(a.getByTestId('sheet-title')).toHaveValue('Quarterly goals from the template');
  await openTab(a, 'follow-up');

  // ---- Step 4: two check-ins on the first goal. ----
  const goalA = followUps(a).nth(0);
  await expect(goalA.locator('h3')).toHaveText(names[0]);
  const first = {
    date: addDays(start, 3),
    progress: '20',
    done: 'Met 3 prospects in Shenzhen',
    problems: 'Two leads went cold',
    solution: 'Ask marketing for a fresh customer list',
    next: 'Visit 5 customers in Guangzhou',
  };
  const second = {
    date: today,
    progress: '40',
    done: 'Signed 2 new customers',
    problems: 'Contracts wait long for legal review',
    solution: 'Agree a standard contract with legal',
    next: 'Close the 3 open offers',
  };

  // The first: recorded today with 0%, then dated back to three days into the cycle.
  await goalA.getByTestId('add-check-in').click();
  await expect(checkIns(goalA)).toHaveCount(1);
  const firstRow = checkIns(goalA).nth(0);
  await expect(ciField(firstRow, 'done')).toBeFocused();
  await expectTimeline(goalA, [{ date: today, progress: '0', done: '', problems: '', solution: '', next: '' }]);
  await fillCheckIn(firstRow, first);
  await expectTimeline(goalA, [first]);
  await expect(goalA.getByTestId('plan-gap')).toHaveText(
    expectedPlanGap({ start, deadline, date: first.date, progress: 20 }),
  );
  await expectNextCheckIn(a, expectedStatus({ today, start, end, last: first.date }));

  // The second: today, starting from the previous progress.
  await goalA.getByTestId('add-check-in').click();
  await expect(checkIns(goalA)).toHaveCount(2);
  const secondRow = checkIns(goalA).nth(1);
  await expect(ciField(secondRow, 'done')).toBeFocused();
  await expect(ciField(secondRow, 'date')).toHaveValue(today);
  await expect(ciField(secondRow, 'progress')).toHaveValue(first.progress);
  const { date: _today, ...secondFields } = second;
  await fillCheckIn(secondRow, secondFields);

  // The timeline, oldest first; the next check-in two weeks after today's (capped at the
  // cycle's end); progress against the plan on today's date.
  await expectTimeline(goalA, [first, second]);
  const after = expectedStatus({ today, start, end, last: today });
  await expectNextCheckIn(a, after);
  const gapText = expectedPlanGap({ start, deadline, date: today, progress: 40 });
  await expect(goalA.getByTestId('plan-gap')).toHaveText(gapText);
  // The other goals have none.
  await expect(checkIns(followUps(a).nth(1))).toHaveCount(0);
  await expect(followUps(a).nth(1).getByTestId('plan-gap')).toHaveText('No check-ins yet');

  // A third check-in dated before the first moves to the top of the timeline; removed, it is gone.
  await goalA.getByTestId('add-check-in').click();
  await expect(checkIns(goalA)).toHaveCount(3);
  const thirdIndex = await checkIns(goalA).evaluateAll((els) => els.findIndex((e) => e.contains(document.activeElement)));
  expect(thirdIndex).toBeGreaterThan(0);
  await ciField(checkIns(goalA).nth(thirdIndex), 'date').fill(addDays(start, 1));
  await expect(ciField(checkIns(goalA).nth(0), 'date')).toHaveValue(addDays(start, 1));
  await expect(ciField(checkIns(goalA).nth(0), 'progress')).toHaveValue(second.progress);
  await expectTimeline(goalA, [{ date: addDays(start, 1) }, first, second]);
  await expectNextCheckIn(a, after);
  await checkIns(goalA).nth(0).locator('[data-action=remove-check-in]').click();
  await expectTimeline(goalA, [first, second]);
  await expectNextCheckIn(a, after);
  await expect(goalA.getByTestId('plan-gap')).toHaveText(gapText);

  // ---- Step 5: the assessment. ----
  await openTab(a, 'assessment');
  await expect(a.getByTestId('cap')).toBeChecked();
  await expect(a.getByTestId('quantitative-share')).toHaveValue('70');
  const assessRows = a.getByTestId('assess-row');
  await expect(assessRows).toHaveCount(3);
  await expect(assessRows.locator('td').nth(0)).toHaveText(names[0]);
  await expect(a.getByTestId('final-score')).toHaveText('—');
  const inputs = [
    { direction: 'at_least', target: '12', achieved: '10' },
    { direction: 'at_most', target: '5', achieved: '4' },
    { direction: 'at_least', target: '90', achieved: '95' },
  ];
  for (const [i, v] of inputs.entries()) {
    const r = assessRows.nth(i);
    await r.locator('select[data-field=direction]').selectOption(v.direction);
    await r.locator('[data-field=target]').fill(v.target);
    // Until every goal has a target and a result there is no final score.
    await expect(a.getByTestId('final-score')).toHaveText('—');
    await r.locator('[data-field=achieved]').fill(v.achieved);
  }
  for (const [i, v] of inputs.entries()) {
    const r = assessRows.nth(i);
    await expect(r.locator('select[data-field=direction]')).toHaveValue(v.direction);
    await expect(r.locator('[data-field=target]')).toHaveValue(v.target);
    await expect(r.locator('[data-field=achieved]')).toHaveValue(v.achieved);
  }
  await a.getByTestId('add-deduction').click();
  const deduction = a.getByTestId('deduction');
  await expect(deduction).toHaveCount(1);
  await expect(deduction.locator('[data-field=points]')).toHaveValue('10');
  await deduction.locator('select[data-field=dimension]').selectOption('communication');
  await deduction.locator('[data-field=reason]').fill('repeated late feedback');

  // The figures agree with the template's arithmetic.
  expect(oneDecimal((50 * 83 + 30 * 100 + 20 * 100) / 100)).toBe(91.5);
  expect(oneDecimal(0.7 * 91.5 + 0.3 * 90)).toBe(91.1);
  expect(oneDecimal((50 * 83 + 30 * 125 + 20 * 106) / 100)).toBe(100.2);
  expect(oneDecimal(0.7 * 100.2 + 0.3 * 90)).toBe(97.1);
  await expectScores(a, CAPPED);
  await a.getByTestId('cap').uncheck();
  await expect(a.getByTestId('cap')).not.toBeChecked();
  await expectScores(a, UNCAPPED);
  await expect(a.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  // ---- B opens the share link: the same timeline, due date, plan gap and scores. ----
  await expect(a.getByTestId('share-link')).toHaveValue(url);
  await openSheet(b, await a.getByTestId('share-link').inputValue(), 'Quarterly goals from the template');
  await expect(b.getByTestId('cycle-start')).toHaveValue(start);
  await expect(b.getByTestId('cycle-end')).toHaveValue(end);
  await expect(rows(b)).toHaveCount(3);
  await expect(b.getByTestId('weight-total')).toHaveText('100%');
  await expect(b.locator('li.hint-item')).toHaveCount(0);

  await openTab(b, 'prepare');
  for (const [key, value] of Object.entries(PREP)) {
    await expect(b.getByTestId('prep').locator(`textarea[data-field=${key}]`)).toHaveValue(value);
  }

  await openTab(b, 'follow-up');
  const goalB = followUps(b).nth(0);
  await expect(goalB.locator('h3')).toHaveText(names[0]);
  await expectTimeline(goalB, [first, second]);
  await expectNextCheckIn(b, after);
  await expect(goalB.getByTestId('plan-gap')).toHaveText(gapText);

  await openTab(b, 'assessment');
  await expect(b.getByTestId('cap')).not.toBeChecked();
  await expect(b.getByTestId('deduction').locator('select[data-field=dimension]')).toHaveValue('communication');
  await expectScores(b, UNCAPPED);

  // A turns the cap back on: B's scores follow.
  await a.getByTestId('cap').check();
  await expectScores(a, CAPPED);
  await expect(b.getByTestId('cap')).toBeChecked();
  await expectScores(b, CAPPED);

  // ---- The home pages agree with the follow-up status: no badge unless a check-in is due. ----
  await expectHomeBadge(a, id, after);
  await expectHomeBadge(b, id, after);

  expect(errors).toEqual([]);
  await close();
});

// The follow-up rhythm on fixed days (the browser's clock set, the relay's untouched): the home
// page's badge appears exactly when a check-in is due or overdue, and the next check-in never
// falls after the cycle's end.
test('the next check-in and the due badge follow the two-week cadence, capped at the cycle end', async ({ browser }) => {
  const { pages: [page], errors, close } = await openDevices(browser, 1);
  const setToday = (day) => page.clock.setFixedTime(new Date(`${day}T12:00:00`));
  await setToday('2025-07-15');
  const { id, url } = await createSheet(page, { title: 'Q3 2025 rhythm', cycle: 'quarterly' });
  await expect(page.getByTestId('cycle-start')).toHaveValue('2025-07-01');
  await expect(page.getByTestId('cycle-end')).toHaveValue('2025-09-30');
  // No goals yet: nothing to follow up, on the sheet or on the home page, though the first
  // check-in would be due today.
  await openTab(page, 'follow-up');
  await expectNextCheckIn(page, { status: 'no-goals', text: 'No goals yet: check-ins start once the goals are set (step 2).' });
  await expectHomeBadge(page, id, { badge: null });
  await page.goto(url);
  await openTab(page, 'goals');
  await fillExample(page);
  await expect(field(row(page, 0), 'name')).toHaveValue('South China: new customers in Q3');
  const cycle = { start: '2025-07-01', end: '2025-09-30' };

  const check = async (today, last, expected) => {
    expect(expectedStatus({ today, ...cycle, last })).toMatchObject(expected);
    await openTab(page, 'follow-up');
    await expectNextCheckIn(page, expected);
    await expectHomeBadge(page, id, expected);
    await page.goto(url);
    await expect(page.getByTestId('sheet-title')).toHaveValue('Q3 2025 rhythm');
  };

  // Two weeks after the start, with no check-in yet: due today.
  await check('2025-07-15', null, { status: 'due', text: 'Check-in due today', badge: 'Check-in due today' });

  // Recorded today: the next is two weeks on.
  await openTab(page, 'follow-up');
  const goal = followUps(page).nth(0);
  await goal.getByTestId('add-check-in').click();
  await fillCheckIn(checkIns(goal).nth(0), { progress: '15', done: 'First visits' });
  await check('2025-07-15', '2025-07-15', { status: 'upcoming', text: 'Next check-in: 2025-07-29', badge: null });

  // Days later, none recorded since: overdue, on the sheet and on the home page.
  await setToday('2025-08-01');
  await page.reload();
  await check('2025-08-01', '2025-07-15', {
    status: 'overdue',
    text: 'Check-in overdue: it was due 2025-07-29',
    badge: 'Check-in overdue since 2025-07-29',
  });

  // Near the end of the cycle, the next check-in is the cycle's last day, not two weeks on.
  await setToday('2025-09-25');
  await page.reload();
  await openTab(page, 'follow-up');
  await followUps(page).nth(0).getByTestId('add-check-in').click();
  await expect(checkIns(followUps(page).nth(0))).toHaveCount(2);
  await expect(ciField(checkIns(followUps(page).nth(0)).nth(1), 'date')).toHaveValue('2025-09-25');
  await expect(ciField(checkIns(followUps(page).nth(0)).nth(1), 'progress')).toHaveValue('15');
  await check('2025-09-25', '2025-09-25', { status: 'upcoming', text: 'Next check-in: 2025-09-30', badge: null });
  await setToday('2025-09-30');
  await page.reload();
  await check('2025-09-30', '2025-09-25', { status: 'due', text: 'Check-in due today', badge: 'Check-in due today' });

  expect(errors).toEqual([]);
  await close();
});

// Check-ins carry random ids; several on one day must still read in the order they were made,
// and the goal's current progress is the last one's.
test('check-ins recorded on one day read in the order they were made, the last one is current', async ({ browser }) => {
  const { pages: [page], errors, close } = await openDevices(browser, 1);
  await page.clock.setFixedTime(new Date('2025-08-15T12:00:00'));
  const { url } = await createSheet(page, { title: 'Same-day check-ins', cycle: 'quarterly' });
  await expect(page.getByTestId('cycle-start')).toHaveValue('2025-07-01');
  await fillExample(page);
  const deadline = await field(row(page, 0), 'deadline').inputValue();
  await openTab(page, 'follow-up');
  const goal = followUps(page).nth(0);
  const made = [];
  for (const progress of ['20', '40', '60', '55']) {
    await goal.getByTestId('add-check-in').click();
    made.push({ date: '2025-08-15', progress });
    await expect(checkIns(goal)).toHaveCount(made.length);
    // The new one is the last of the day, whatever its id.
    const last = checkIns(goal).nth(made.length - 1);
    await expect(ciField(last, 'done')).toBeFocused();
    await fillCheckIn(last, { progress });
    await expectTimeline(goal, made);
    await expect(goal.getByTestId('plan-gap')).toHaveText(
      expectedPlanGap({ start: '2025-07-01', deadline, date: '2025-08-15', progress: Number(progress) }),
    );
  }
  // The same after a reload, read back from storage.
  await page.goto(url);
  await openTab(page, 'follow-up');
  await expectTimeline(followUps(page).nth(0), made);
  await expect(followUps(page).nth(0).getByTestId('plan-gap')).toHaveText(/^55% done/);
  expect(errors).toEqual([]);
  await close();
});

test('a malformed date written by another device is flagged, and the rest of the sheet reads', async ({ browser, baseURL }) => {
  const { pages: [page], errors, close } = await openDevices(browser, 1);
  await page.clock.setFixedTime(new Date('2025-08-15T12:00:00'));
  const { id, url } = await createSheet(page, { title: 'Damaged dates', cycle: 'quarterly' });
  await fillExample(page);
  await openTab(page, 'follow-up');
  const goal = followUps(page).nth(0);
  await goal.getByTestId('add-check-in').click();
  await fillCheckIn(checkIns(goal).nth(0), { progress: '30', done: 'First visits' });
  await expect(page.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  const [row1, row2] = await followUps(page).evaluateAll((els) => els.map((e) => e.dataset.row));

  const repo = await changeFromOtherPeer(baseURL, id, (d) => {
    d.goals[row1].checkins['from-elsewhere'] = { date: '2025-13-45', progress: 90 };
    d.goals[row2].deadline = 'soon';
  });
  const damaged = page.getByTestId('damaged');
  await expect(damaged.locator('li')).toHaveText([
    'A check-in of “South China: new customers in Q3” is left out: its date “2025-13-45” is not a date.',
    'The deadline of “Raise customer satisfaction” is not a date (“soon”): it reads as none.',
  ]);
  // The rest reads as before: the good check-in, its progress, the other goals.
  await expectTimeline(followUps(page).nth(0), [{ date: '2025-08-15', progress: '30', done: 'First visits' }]);
  await expect(followUps(page).nth(0).getByTestId('plan-gap')).toHaveText(/^30% done/);
  await repo.shutdown();
  // And from storage after a reload.
  await page.goto(url);
  await expect(page.getByTestId('damaged').locator('li')).toHaveCount(2);
  await expect(rows(page)).toHaveCount(3);
  await expect(field(row(page, 1), 'deadline')).toHaveValue('');
  expect(errors).toEqual([]);
  await close();
});

test('a milestone after the deadline is marked and does not pull the plan back', async ({ browser }) => {
  const { pages: [page], errors, close } = await openDevices(browser, 1);
  await page.clock.setFixedTime(new Date('2025-09-15T12:00:00'));
  await createSheet(page, { title: 'Milestone after the deadline', cycle: 'quarterly' });
  await fillExample(page);
  await field(row(page, 0), 'deadline').fill('2025-08-31');
  await openTab(page, 'follow-up');
  const goal = followUps(page).nth(0);
  await goal.locator('details.milestones summary').click();
  await goal.locator('.milestone-form input[type=date]').fill('2025-09-30');
  await goal.locator('.milestone-form input[type=number]').fill('80');
  await goal.locator('.milestone-form button[type=submit]').click();
  await expect(goal.getByTestId('milestone')).toHaveCount(1);
  await expect(goal.getByTestId('milestone-ignored')).toHaveText('(after the deadline: not part of the plan)');
  // Past the deadline the plan is 100%, not somewhere on the way down to the late 80%.
  await goal.getByTestId('add-check-in').click();
  await fillCheckIn(checkIns(goal).nth(0), { progress: '100' });
  await expect(goal.getByTestId('plan-gap')).toHaveText('100% done, on plan');
  await fillCheckIn(checkIns(goal).nth(0), { progress: '90' });
  await expect(goal.getByTestId('plan-gap')).toHaveText('90% done, 10% behind plan');
  expect(errors).toEqual([]);
  await close();
});
