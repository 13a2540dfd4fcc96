#!/usr/bin/env node
// Edit latency between two devices: the time from an edit in page A to its appearance in page B,
// through the relay. Not a test: a measurement.
//
//   cd end2end && node bench/latency.mjs [--edits 300] [--warmup 20]
//
// Starts its own goals-server (the binary from $GOALS_SERVER_BIN, else target/release if built,
// else target/debug) on a free port with a fresh data directory, and Debian's Chromium
// ($CHROMIUM, default /usr/bin/chromium) with two contexts (two devices) on one sheet.
//
// Each edit types one more character at the end of a goal's name in A: A records t0 right
// before setting the input's value and dispatching its `input` event. B records the moment the
// app writes the expected value into its field (the `value` setters of inputs and text areas are wrapped;
// the app sets the value as a DOM property, which no MutationObserver sees), and also the start
// of the next animation frame after it (when it can be painted). Both clocks are
// performance.timeOrigin + performance.now() on the same machine. Each edit waits for its
// arrival before the next.
//
// Human-readable figures go to stderr; one JSON object goes to stdout.
import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';
import { startServer, serverBinary } from '../support/server.mjs';
import { summarize, waitForText } from './stats.mjs';

const { values: opts } = parseArgs({
  options: {
    edits: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '20' },
    timeout: { type: 'string', default: '10000' },
  },
});
const EDITS = Number(opts.edits);
const WARMUP = Number(opts.warmup);
const ARRIVAL_TIMEOUT = Number(opts.timeout);
if (!(EDITS >= 1) || !(WARMUP >= 0)) throw new Error('--edits must be ≥ 1 and --warmup ≥ 0');

const log = (...a) => console.error(...a);

const NAME = '[data-testid=goal-row] [data-field=name]';

// In B: wrap the value setter, and offer arm(expected) / arrival() to the benchmark.
function installWatcher(selector) {
  const now = () => performance.timeOrigin + performance.now();
  const w = { expected: null, resolve: null, promise: null, timer: null };
  const arrived = (how) => {
    const { resolve } = w;
    w.expected = null;
    w.resolve = null;
    clearTimeout(w.timer);
    resolve(how);
  };
  // Goal names are text areas, other fields inputs: watch both.
  for (const proto of [HTMLInputElement.prototype, HTMLTextAreaElement.prototype]) {
    const desc = Object.getOwnPropertyDescriptor(proto, 'value');
    Object.defineProperty(proto, 'value', {
      configurable: true,
      enumerable: desc.enumerable,
      get: desc.get,
      set(v) {
        desc.set.call(this, v);
        if (w.expected !== null && String(v) === w.expected && this.matches(selector)) {
          const dom = now();
          const expected = w.expected;
          w.expected = null;
          requestAnimationFrame((frameStart) => {
            // The frame's start time (same clock as performance.now) and when the callback ran.
            arrived({ dom, frame: performance.timeOrigin + frameStart, raf: now(), expected });
          });
        }
      },
    });
  }
  window.__latency = {
    arm(expected, timeoutMs) {
      w.expected = expected;
      w.promise = new Promise((resolve) => {
        w.resolve = resolve;
      });
      w.timer = setTimeout(() => {
        if (w.resolve) {
          const el = document.querySelector(selector);
          arrived({ timeout: true, shown: el && desc.get.call(el), expected });
        }
      }, timeoutMs);
    },
    arrival() {
      return w.promise;
    },
  };
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
    const ctxA = await browser.newContext({ baseURL: server.url });
    const ctxB = await browser.newContext({ baseURL: server.url });
    const a = await ctxA.newPage();
    const b = await ctxB.newPage();

    // A creates a sheet with one goal.
    await a.goto('/');
    await waitForText(a, 'net-status', 'Online');
    await a.waitForFunction(() => document.querySelector('input[name=start]')?.value !== '');
    await a.fill('input[name=title]', 'Latency benchmark');
    await a.fill('input[name=employee]', 'Bench A');
    await a.fill('input[name=manager]', 'Bench B');
    await a.click('[data-testid=new-sheet-form] button[type=submit]');
    await a.waitForURL(/\/sheet\/[^/]+$/);
    await a.waitForSelector('[data-testid=add-goal]');
    await a.click('[data-testid=add-goal]');
    await a.fill(NAME, 'Goal');
    await waitForText(a, 'doc-status', 'Saved on this device · synced');

    // B opens the link.
    await b.goto(a.url());
    await waitForText(b, 'net-status', 'Online');
    await b.waitForFunction((sel) => document.querySelector(sel)?.value === 'Goal', NAME, { timeout: 20_000 });
    await b.evaluate(installWatcher, NAME);

    const alphabet = 'abcdefghijklmnopqrstuvwxyz ';
    let text = 'Goal ';
    const dom = [];
    const frame = [];
    let timeouts = 0;
    const total = WARMUP + EDITS;
    log(`server ${serverBinary()} at ${server.url}; ${WARMUP} warm-up + ${EDITS} measured edits`);
    for (let i = 0; i < total; i++) {
      text += alphabet[i % alphabet.length];
      await b.evaluate(([t, ms]) => window.__latency.arm(t, ms), [text, ARRIVAL_TIMEOUT]);
      const t0 = await a.evaluate(
        ([sel, t]) => {
          const el = document.querySelector(sel);
          const start = performance.timeOrigin + performance.now();
          el.value = t;
          el.dispatchEvent(new Event('input', { bubbles: true }));
          return start;
        },
        [NAME, text],
      );
      const got = await b.evaluate(() => window.__latency.arrival());
      if (got.timeout) {
        timeouts += 1;
        log(`edit ${i}: not seen in B within ${ARRIVAL_TIMEOUT} ms (B shows ${JSON.stringify(got.shown)})`);
        // Resynchronise on whatever B shows before going on.
        await b.waitForFunction(([sel, t]) => document.querySelector(sel)?.value === t, [NAME, text], { timeout: 30_000 });
        continue;
      }
      if (i >= WARMUP) {
        dom.push(got.dom - t0);
        frame.push(Math.max(got.frame, got.dom) - t0);
      }
      if ((i + 1) % 50 === 0) log(`  ${i + 1}/${total}`);
    }

    const result = {
      benchmark: 'edit-latency',
      description: 'time from an input event in page A to the app setting the same value in page B (two browser contexts, through the relay)',
      edits: dom.length,
      warmup: WARMUP,
      timeouts,
      server: serverBinary(),
      chromium: browser.version(),
      unit: 'ms',
      valueSet: summarize(dom),
      nextFrame: summarize(frame),
    };
    const v = result.valueSet;
    const f = result.nextFrame;
    log(`value set in B:   median ${v.median} ms, p99 ${v.p99} ms (p90 ${v.p90}, min ${v.min}, max ${v.max}, n=${v.n})`);
    log(`next frame in B:  median ${f.median} ms, p99 ${f.p99} ms (p90 ${f.p90}, min ${f.min}, max ${f.max})`);
    console.log(JSON.stringify(result));
    await ctxA.close();
    await ctxB.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
