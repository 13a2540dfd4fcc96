#!/usr/bin/env node
// Startup time: from navigation start to an editable sheet, on a CPU slowed down like a phone's.
// Not a test: a measurement.
//
//   cd end2end && node bench/startup.mjs [--loads 20] [--warmup 2] [--rate 4] [--modes online,offline,sw-online]
//
// Starts its own goals-server (the binary from $GOALS_SERVER_BIN, else target/debug — never a
// possibly stale target/release) on a free port with a fresh data directory, and Debian's
// Chromium ($CHROMIUM, default /usr/bin/chromium).
//
// A sheet filled from the template's example (three goals) is created in each browser context
// first, so it is in that context's local storage. Then each load opens the sheet's link in a
// new tab whose CPU is throttled (CDP Emulation.setCPUThrottlingRate) and times, in the page,
// on the navigation's clock (performance.now(), 0 = navigation start):
//   html     the HTML's responseEnd (navigation timing)
//   dcl      DOMContentLoaded
//   hydrated <html data-hydrated="true"> (the wasm app runs)
//   shown    the first goal row is visible with its name (from the sheet's snapshot, before the
//            engine with Automerge has arrived): the sheet can be read. (Seen at the next
//            animation frame at the latest: a field's value changes no attribute.)
//   ready    the page is hydrated, the first goal row is visible and its name field is present
//            and enabled (also through its fieldset): the sheet can be edited. This is the
//            figure that counts.
// A MutationObserver installed before the page's own scripts notices each moment.
//
// Modes (each in its own browser context):
//   online     service workers blocked (serviceWorkers: 'block'): every load asks the server
//              (the HTTP cache is warm; the server answers "no-cache" files with 304s).
//   offline    the service worker installed and in control, the context offline: everything
//              comes from the worker's cache (the offline cold start of the installed app).
//   sw-online  the worker in control with the network on (a returning user): also from the
//              cache; the relay connects in the background.
//
// Human-readable figures go to stderr; one JSON object goes to stdout.
import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { REPO_ROOT, startServer } from '../support/server.mjs';
import { summarize, waitForText } from './stats.mjs';

const { values: opts } = parseArgs({
  options: {
    loads: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    rate: { type: 'string', default: '4' },
    modes: { type: 'string', default: 'online,offline,sw-online' },
    timeout: { type: 'string', default: '60000' },
  },
});
const LOADS = Number(opts.loads);
const WARMUP = Number(opts.warmup);
const RATE = Number(opts.rate);
const MODES = opts.modes.split(',').map((m) => m.trim()).filter(Boolean);
const TIMEOUT = Number(opts.timeout);
if (!(LOADS >= 1) || !(WARMUP >= 0) || !(RATE >= 1)) throw new Error('--loads must be ≥ 1, --warmup ≥ 0, --rate ≥ 1');
for (const m of MODES) if (!['online', 'offline', 'sw-online'].includes(m)) throw new Error(`unknown mode ${m}`);

// Never fall back to target/release: it may be older than the site in target/site.
process.env.GOALS_SERVER_BIN ||= join(REPO_ROOT, 'target', 'debug', 'goals-server');

const log = (...a) => console.error(...a);

// Runs in every page before its own scripts: watch for the moments, on the navigation's clock.
function installProbe() {
  const marks = {};
  window.__startup = marks;
  const NAME = '[data-testid=goal-row] [data-field=name]';
  const check = () => {
    const root = document.documentElement;
    if (marks.hydrated === undefined && root.getAttribute('data-hydrated') === 'true') marks.hydrated = performance.now();
    if (marks.ready !== undefined || marks.hydrated === undefined) return;
    const row = document.querySelector('[data-testid=goal-row]');
    const name = document.querySelector(NAME);
    const visible = row && row.getClientRects().length > 0 && name && name.value !== '';
    if (visible && marks.shown === undefined) marks.shown = performance.now();
    if (visible && !name.matches(':disabled') && !name.readOnly) {
      marks.ready = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-hydrated', 'disabled', 'readonly', 'class', 'style', 'hidden'] });
  // A field's value is a property, which no mutation reports: also look once a frame.
  const everyFrame = () => {
    check();
    if (marks.ready === undefined) requestAnimationFrame(everyFrame);
  };
  requestAnimationFrame(everyFrame);
  document.addEventListener('DOMContentLoaded', () => {
    marks.dcl = performance.now();
    check();
  });
}

/** Create a sheet from the example in this context; returns its URL. */
async function seedSheet(page, { online = true } = {}) {
  await page.goto('/');
  await waitForText(page, 'net-status', online ? 'Online' : 'Offline');
  await page.waitForFunction(() => document.querySelector('input[name=start]')?.value !== '');
  await page.fill('input[name=title]', 'Startup benchmark');
  await page.fill('input[name=employee]', 'Li Wei');
  await page.fill('input[name=manager]', 'Zhang Min');
  await page.click('[data-testid=new-sheet-form] button[type=submit]');
  await page.waitForURL(/\/sheet\/[^/]+$/);
  await page.click('[data-testid=fill-example]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=goal-row]').length === 3);
  await waitForText(page, 'doc-status', 'Saved on this device · synced');
  return page.url();
}

/** One load of `url` in a new, throttled tab; returns the page's marks. */
async function measureLoad(context, url, { expectFromServiceWorker }) {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    const response = await page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT });
    if (response && response.fromServiceWorker() !== expectFromServiceWorker) {
      throw new Error(`the page came ${response.fromServiceWorker() ? 'from' : 'not from'} the service worker`);
    }
    await page.waitForFunction(() => window.__startup?.ready !== undefined, null, { timeout: TIMEOUT, polling: 50 });
    const marks = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { ...window.__startup, html: nav?.responseEnd, transfer: nav?.transferSize };
    });
    // Sanity: the sheet itself is shown.
    const goals = await page.locator('[data-testid=goal-row]').count();
    if (goals !== 3) throw new Error(`expected the example's 3 goals, saw ${goals}`);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    return marks;
  } finally {
    await page.close();
  }
}

async function runMode(browser, baseURL, mode) {
  const sw = mode !== 'online';
  const context = await browser.newContext({ baseURL, serviceWorkers: sw ? 'allow' : 'block' });
  await context.addInitScript(installProbe);
  try {
    const page = await context.newPage();
    if (sw) {
      // Install the worker (its install precaches the shell), and let it control the tab.
      await page.goto('/');
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    }
    const url = await seedSheet(page);
    await page.close();
    if (mode === 'offline') await context.setOffline(true);

    const samples = [];
    const total = WARMUP + LOADS;
    for (let i = 0; i < total; i++) {
      const marks = await measureLoad(context, url, { expectFromServiceWorker: sw });
      if (i >= WARMUP) samples.push(marks);
    }
    const pick = (k) => summarize(samples.map((s) => s[k]), 1);
    return { ready: pick('ready'), shown: pick('shown'), hydrated: pick('hydrated'), dcl: pick('dcl'), html: pick('html'), raw: samples.map((s) => Math.round(s.ready)) };
  } finally {
    await context.close();
  }
}

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    log(`server ${process.env.GOALS_SERVER_BIN} at ${server.url}; Chromium ${browser.version()}; CPU ${RATE}× slower; ${WARMUP} warm-up + ${LOADS} measured loads per mode`);
    const modes = {};
    for (const mode of MODES) {
      log(`mode ${mode}…`);
      modes[mode] = await runMode(browser, server.url, mode);
      const { ready, shown, hydrated, dcl, html } = modes[mode];
      log(`  editable sheet: median ${ready.median} ms, p90 ${ready.p90} ms (min ${ready.min}, max ${ready.max}, n=${ready.n})`);
      log(`    sheet shown (from its snapshot): median ${shown.median} ms, p90 ${shown.p90} ms`);
      log(`    html received ${html.median} ms · DOMContentLoaded ${dcl.median} ms · hydrated ${hydrated.median} ms (medians)`);
    }
    const result = {
      benchmark: 'startup',
      description: 'time from navigation start to an editable sheet (hydrated, the first goal row visible, its name field enabled), a new tab per load, CPU throttled',
      cpuThrottlingRate: RATE,
      loads: LOADS,
      warmup: WARMUP,
      server: process.env.GOALS_SERVER_BIN,
      chromium: browser.version(),
      unit: 'ms',
      modes,
    };
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
