// Shared steps of the browser tests.
import { expect } from '@playwright/test';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { createHash, randomBytes } from 'node:crypto';

export const GOAL_FIELDS = ['type', 'name', 'measure', 'weight', 'deadline', 'owner', 'support'];

/** The relay connection badge; it leaves "Connecting…" only once the wasm runs. */
export const netStatus = (page) => page.getByTestId('net-status');

/** Chromium says so in the console when the relay's WebSocket cannot connect. */
export const isWebSocketFailure = (e) => /WebSocket connection to '.*\/sync' failed/.test(e);

/** Wait until the page is hydrated and connected to the relay. */
export async function waitOnline(page) {
  await expect(netStatus(page)).toHaveText('Online', { timeout: 20_000 });
}

/**
 * Create a sheet from the home page; returns its id and the page's URL. With `online: false`
 * (the relay blocked) it waits for the "Offline" badge instead of "Online". `start` and `end`
 * (YYYY-MM-DD) replace the form's default cycle dates (the current period).
 */
export async function createSheet(page, { title, employee = 'Li Wei', manager = 'Zhang Min', cycle, start, end, online = true } = {}) {
  await page.goto('/');
  if (online) await waitOnline(page);
  else await expect(netStatus(page)).toHaveText('Offline', { timeout: 20_000 });
  const form = page.getByTestId('new-sheet-form');
  await expect(form.locator('input[name=start]')).not.toHaveValue('');
  await form.locator('input[name=title]').fill(title);
  await form.locator('input[name=employee]').fill(employee);
  await form.locator('input[name=manager]').fill(manager);
  if (cycle) await form.locator('select[name=cycle]').selectOption(cycle);
  if (start) await form.locator('input[name=start]').fill(start);
  if (end) await form.locator('input[name=end]').fill(end);
  await form.locator('button[type=submit]').click();
  await page.waitForURL(/\/sheet\/[^/]+$/);
  await expect(page.getByTestId('sheet-title')).toHaveValue(title);
  const id = new URL(page.url()).pathname.split('/').pop();
  return { id, url: page.url() };
}

/**
 * Open a sheet's link, on a device that may not have the sheet yet: wait until the sheet shows
 * (its title) and the page is online.
 */
export async function openSheet(page, url, title) {
  await page.goto(url);
  await expect(page.getByTestId('sheet-title')).toHaveValue(title);
  await waitOnline(page);
}

/** A sheet's card in the home page's list. */
export const sheetCard = (page, id) => page.getByTestId('sheet-list').locator(`a[href="/sheet/${id}"]`);

/** A sheet's step tab, and opening it. */
export const tab = (page, key) => page.getByTestId(`tab-${key}`);
export async function openTab(page, key) {
  await tab(page, key).click();
  await expect(tab(page, key)).toHaveAttribute('aria-selected', 'true');
}

export const rows = (page) => page.getByTestId('goal-row');
export const row = (page, i) => rows(page).nth(i);
export const field = (rowLocator, name) => rowLocator.locator(`[data-field=${name}]`);

/** Fill some fields of a goal row (only those given). */
export async function fillGoal(r, values) {
  for (const [name, value] of Object.entries(values)) {
    const f = field(r, name);
    if (name === 'type') await f.selectOption(value);
    else await f.fill(String(value));
    await expect(f).toHaveValue(String(value));
  }
}

/** Add a goal row with the add button and fill it; returns the row's locator. */
export async function addGoal(page, values = {}) {
  const before = await rows(page).count();
  await page.getByTestId('add-goal').click();
  await expect(rows(page)).toHaveCount(before + 1);
  const r = row(page, before);
  // The add button hands the focus to the new row's name.
  await expect(field(r, 'name')).toBeFocused();
  await fillGoal(r, values);
  return r;
}

/** Fill a new sheet's goals from the template's example: three goals. */
export async function fillExample(page) {
  await page.getByTestId('fill-example').click();
  await expect(rows(page)).toHaveCount(3);
}

/** Expect the goal rows to show exactly these values of one field, in this order. */
export async function expectColumn(page, name, values, options = {}) {
  await expect
    .poll(
      () => page.locator(`[data-testid=goal-row] [data-field=${name}]`).evaluateAll((els) => els.map((e) => e.value)),
      { timeout: 10_000, ...options },
    )
    .toEqual(values);
}

/** Expect every given field of a goal row to show its value. */
export async function expectGoal(r, values) {
  for (const [name, value] of Object.entries(values)) {
    await expect(field(r, name)).toHaveValue(String(value));
  }
}

/**
 * Route a context's relay WebSocket (/sync) through Playwright, so that the relay can be made
 * unreachable for that context while plain HTTP keeps working. While blocked, every connection
 * attempt is closed at once, before it opens (the app then shows "Offline" and retries).
 */
export async function relaySwitch(context, { blocked = false } = {}) {
  const state = { blocked, attempts: 0, blockedAttempts: 0 };
  await context.routeWebSocket(/\/sync$/, (ws) => {
    state.attempts += 1;
    if (state.blocked) {
      state.blockedAttempts += 1;
      ws.close({ code: 1000, reason: 'relay blocked by the test' });
    } else {
      ws.connectToServer();
    }
  });
  return {
    state,
    block() {
      state.blocked = true;
    },
    /** Let connections through again and tell the pages the network is back, to skip the backoff. */
    async unblock(...pages) {
      state.blocked = false;
      for (const p of pages) await p.evaluate(() => window.dispatchEvent(new Event('online')));
    },
  };
}

/**
 * Another peer with the link, the JavaScript reference client on the relay, free to write
 * anything into a sheet: it makes `change` to the sheet `id` and returns its repo. Shut that
 * down (`repo.shutdown()`) once the change has arrived.
 */
export async function changeFromOtherPeer(baseURL, id, change) {
  const repo = new Repo({ network: [new WebSocketClientAdapter(`${baseURL.replace(/^http/, 'ws')}/sync`)] });
  const handle = await repo.find(`automerge:${id}`);
  handle.change(change);
  return repo;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes) {
  let n = BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'));
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

/** base58check, as automerge-repo writes document ids. */
export function base58check(bytes) {
  const sum = createHash('sha256').update(createHash('sha256').update(bytes).digest()).digest();
  return base58(Buffer.concat([Buffer.from(bytes), sum.subarray(0, 4)]));
}

/** A well-formed document id that no one has. */
export const randomDocumentId = () => base58check(randomBytes(16));

/**
 * Collect the uncaught exceptions (a wasm panic shows as one) and console errors of every page
 * of a context; returns the list they go into. The browser's own request for /favicon.ico,
 * which the app does not serve, is left out.
 */
export function trackErrors(context) {
  return collectErrors(context, []);
}

/** trackErrors, into the given list. */
function collectErrors(context, errors) {
  const watch = (page) => {
    page.on('pageerror', (e) => errors.push(`${page.url()}: uncaught ${e.name}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (/\/favicon\.ico$/.test(m.location()?.url || '')) return;
      errors.push(`${page.url()}: console.error: ${m.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return errors;
}

/**
 * Devices of their own, as separate machines: a browser context each (its own storage and
 * relay connection) with one page open, whose errors all go into `errors` (see trackErrors).
 * `add()` opens one more device and returns its page; `close()` closes them all.
 */
export async function openDevices(browser, count) {
  const contexts = [];
  const pages = [];
  const errors = [];
  const add = async () => {
    const context = await browser.newContext();
    contexts.push(context);
    collectErrors(context, errors);
    const page = await context.newPage();
    pages.push(page);
    return page;
  };
  for (let i = 0; i < count; i++) await add();
  return {
    pages,
    errors,
    add,
    async close() {
      for (const context of contexts) await context.close();
    },
  };
}
