// The installable app (issue 6): the service worker and its offline start, the web app
// manifest, the phone layout of the goal table, a full storage, the update flow, and the
// storage usage on the home page.
import { test, expect } from '@playwright/test';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addGoal, createSheet, field, fillExample, isWebSocketFailure, netStatus, relaySwitch, row, rows, sheetCard, trackErrors, waitOnline } from './helpers.mjs';
import { siteRoot, startServer } from '../support/server.mjs';

// What the worker precaches on install (public/sw.js).
const SHEET_SHELL = '/sheet/11111111111111114Ki9Gx';
const PRECACHED = [
  '/',
  SHEET_SHELL,
  '/me',
  '/pkg/app.js',
  '/pkg/app_bg.wasm',
  '/pkg/app.css',
  // The loader of the views fetched on demand (scripts/build splits them out of the wasm).
  '/pkg/__wasm_split.js',
  '/sw-register.js',
  '/manifest.webmanifest',
  '/favicon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/icon-maskable-512.png',
];

const hydrated = (page) => expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true', { timeout: 20_000 });

const controlled = (page) => page.evaluate(() => navigator.serviceWorker.controller !== null);

/**
 * First visit: open the home page, wait until the service worker is active (its install, which
 * precaches the shell, is done), then reload so that it controls the page.
 */
async function installServiceWorker(page) {
  await page.goto('/');
  await hydrated(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  await page.reload();
  await hydrated(page);
  await expect.poll(() => controlled(page)).toBe(true);
  return scope;
}

/** The VERSION constant of a service worker script. */
function versionIn(sw) {
  const m = /const VERSION = "([^"]+)"/.exec(sw);
  if (!m) throw new Error('no VERSION in sw.js');
  return m[1];
}

/** Create a sheet and fill it from the example (three goals); wait until it is saved. */
async function sheetFromExample(page, title, options = {}) {
  const sheet = await createSheet(page, { title, ...options });
  await fillExample(page);
  await expect(field(row(page, 1), 'name')).toHaveValue('Raise customer satisfaction');
  return sheet;
}

test('the service worker registers, precaches the shell and controls the page after a reload', async ({ page, request }) => {
  const errors = trackErrors(page.context());
  const scope = await installServiceWorker(page);
  expect(new URL(scope).pathname).toBe('/');
  const reg = await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    return { active: r.active?.scriptURL, state: r.active?.state, controller: navigator.serviceWorker.controller?.scriptURL };
  });
  expect(new URL(reg.active).pathname).toBe('/sw.js');
  expect(reg.state).toBe('activated');
  expect(reg.controller).toBe(reg.active);

  // One cache, named after the build's version, holding the whole shell.
  const sw = await (await request.get('/sw.js')).text();
  const version = versionIn(sw);
  expect(version).toMatch(/^[0-9a-f]{16}$/);
  expect(readFileSync(join(siteRoot(), 'version.txt'), 'utf8').trim()).toBe(version);
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const out = {};
    for (const n of names) out[n] = (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname);
    return out;
  });
  expect(Object.keys(cached)).toEqual([`goals-shell-${version}`]);
  expect(cached[`goals-shell-${version}`]).toEqual(expect.arrayContaining(PRECACHED));
  // ... and the wasm chunks of the views loaded on demand, whatever scripts/build named them.
  const chunks = cached[`goals-shell-${version}`].filter((p) => /^\/pkg\/split_.*\.wasm$/.test(p));
  expect(chunks.length).toBeGreaterThan(0);
  // The loader and the chunks are checked against their SHA-256 on install, like every asset.
  for (const path of ['/pkg/__wasm_split.js', ...chunks]) {
    expect(sw).toMatch(new RegExp(`"${path.replace(/[.]/g, '\\.')}": "[0-9a-f]{64}"`));
  }

  // Now the navigations and the app's files come from the worker.
  const response = await page.goto('/me');
  expect(response.fromServiceWorker()).toBe(true);
  await hydrated(page);
  expect(errors).toEqual([]);
});

test('offline cold start: the home page and a sheet deep link open and edit with no network', async ({ browser }) => {
  const context = await browser.newContext();
  const errors = trackErrors(context);
  const page = await context.newPage();
  await installServiceWorker(page);
  const { id, url } = await sheetFromExample(page, 'Offline start');
  await expect(page.getByTestId('doc-status')).toHaveText('Saved on this device · synced');

  await context.setOffline(true);

  // The home page, from the worker's cache, lists the sheet from this device's storage.
  const home = await page.goto('/');
  expect(home.fromServiceWorker()).toBe(true);
  await hydrated(page);
  await expect(netStatus(page)).toHaveText('Offline', { timeout: 20_000 });
  const card = sheetCard(page, id);
  await expect(card).toContainText('Offline start');
  await expect(card).toContainText('3 goals · weights 100%');

  // A deep link in a new tab: the shell of every sheet page, then the sheet from storage.
  const tab = await context.newPage();
  const deep = await tab.goto(url);
  expect(deep.status()).toBe(200);
  expect(deep.fromServiceWorker()).toBe(true);
  await hydrated(tab);
  await expect(tab.getByTestId('sheet-title')).toHaveValue('Offline start');
  await expect(rows(tab)).toHaveCount(3);
  await expect(field(row(tab, 1), 'name')).toHaveValue('Raise customer satisfaction');
  await expect(netStatus(tab)).toHaveText('Offline', { timeout: 20_000 });
  await expect(tab.getByTestId('doc-status')).toHaveText('Saved on this device · offline');

  // An edit there is kept across a reload, still offline.
  await field(row(tab, 1), 'name').fill('Raise customer satisfaction (offline)');
  await field(row(tab, 2), 'weight').fill('25');
  await tab.reload();
  await hydrated(tab);
  await expect(field(row(tab, 1), 'name')).toHaveValue('Raise customer satisfaction (offline)');
  await expect(field(row(tab, 2), 'weight')).toHaveValue('25');
  await expect(tab.getByTestId('weight-total')).toHaveText('105%');

  // A step whose view is fetched on demand (a wasm chunk of its own) opens offline too.
  await tab.getByTestId('tab-assessment').click();
  await expect(tab.getByTestId('assess-row')).toHaveCount(3);

  // The "Me" page starts offline too.
  const me = await tab.goto('/me');
  expect(me.fromServiceWorker()).toBe(true);
  await hydrated(tab);
  await expect(netStatus(tab)).toHaveText('Offline', { timeout: 20_000 });

  expect(errors.filter((e) => !isWebSocketFailure(e))).toEqual([]);
  await context.close();
});

test('a malformed sheet link still says so when the page comes from the service worker', async ({ page }) => {
  // The worker answers every /sheet/* navigation with one sheet page's HTML; the app must still
  // tell a bad link once it runs.
  // (It used to keep the shell's "Opening the sheet…" for good: hydration only swapped the
  // paragraph's data-testid to "bad-link". Fixed in 692ae83.)
  const errors = trackErrors(page.context());
  await installServiceWorker(page);
  const response = await page.goto('/sheet/garbage');
  expect(response.fromServiceWorker()).toBe(true);
  await hydrated(page);
  await expect(page.getByRole('alert')).toContainText('“garbage” is not a sheet link.');
  await expect(page.getByTestId('sheet-title')).toHaveCount(0);
  await waitOnline(page);
  expect(errors).toEqual([]);
});

/** The width and height of a PNG, from its IHDR chunk. */
function pngSize(buf) {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return `${buf.readUInt32BE(16)}x${buf.readUInt32BE(20)}`;
}

test('the web app manifest is linked, served as a manifest and complete', async ({ page, request }) => {
  // Linked from the head of every page.
  for (const path of ['/', '/me', SHEET_SHELL]) {
    const html = await (await request.get(path)).text();
    expect(html, path).toContain('<link rel="manifest" href="/manifest.webmanifest">');
  }

  const res = await request.get('/manifest.webmanifest');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^application\/manifest\+json\b/);
  const m = JSON.parse(await res.text());
  expect(m).toMatchObject({
    id: '/',
    name: 'Goal Sheets · 目标表',
    start_url: '/',
    scope: '/',
    display: 'standalone',
  });
  expect(typeof m.short_name).toBe('string');
  expect(m.short_name.length).toBeGreaterThan(0);
  expect(m.short_name.length).toBeLessThanOrEqual(12);
  expect(m.lang).toBeTruthy();
  expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(m.translations?.['zh-CN']).toMatchObject({ name: '目标表 · 绩效目标', short_name: '目标表' });
  expect(m.translations?.en?.name).toBeTruthy();

  // The page's theme colour agrees with the manifest's.
  await page.goto('/');
  await expect(page.locator('meta[name=theme-color]')).toHaveAttribute('content', m.theme_color);

  // Icons: 192 and 512 PNGs for any purpose, a maskable 512, an SVG; each served as declared,
  // and each PNG really of its declared size.
  const find = (pred) => m.icons.find(pred);
  const any192 = find((i) => i.sizes === '192x192' && i.type === 'image/png' && (i.purpose ?? 'any').split(' ').includes('any'));
  const any512 = find((i) => i.sizes === '512x512' && i.type === 'image/png' && (i.purpose ?? 'any').split(' ').includes('any'));
  const maskable = find((i) => i.sizes === '512x512' && i.type === 'image/png' && (i.purpose ?? '').split(' ').includes('maskable'));
  const svg = find((i) => i.type === 'image/svg+xml');
  expect(any192, '192x192 PNG icon').toBeTruthy();
  expect(any512, '512x512 PNG icon').toBeTruthy();
  expect(maskable, 'maskable 512x512 PNG icon').toBeTruthy();
  expect(svg, 'SVG icon').toBeTruthy();
  for (const icon of m.icons) {
    const r = await request.get(new URL(icon.src, 'http://x/').pathname);
    expect(r.status(), icon.src).toBe(200);
    expect(r.headers()['content-type'], icon.src).toBe(icon.type);
    if (icon.type === 'image/png') expect(pngSize(await r.body()), icon.src).toBe(icon.sizes);
  }
});

test('phone layout: the goal table fits 375 px with touch-sized controls', async ({ browser }, testInfo) => {
  // The sheet is made on a desktop-sized page of the same device (its storage handed over), so
  // that the phone's page only has to open it.
  const setup = await browser.newContext();
  const setupPage = await setup.newPage();
  const { url } = await sheetFromExample(setupPage, 'Phone layout');
  await expect(setupPage.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  const storageState = await setup.storageState();
  await setup.close();

  const W = 375;
  const context = await browser.newContext({ storageState, viewport: { width: W, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const errors = trackErrors(context);
  const page = await context.newPage();
  await page.goto(url);
  await hydrated(page);
  await expect(rows(page)).toHaveCount(3);
  await expect(field(row(page, 1), 'name')).toHaveValue('Raise customer satisfaction');

  // The artifact first, so that it shows whatever the checks below find.
  const shot = await page.screenshot({ fullPage: true });
  const out = testInfo.outputPath('phone-goal-table.png');
  writeFileSync(out, shot);
  await testInfo.attach('phone-goal-table', { path: out, contentType: 'image/png' });
  // And under a fixed name in end2end/test-results (whatever --output says).
  const fixed = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
  mkdirSync(fixed, { recursive: true });
  copyFileSync(out, join(fixed, 'phone-goal-table.png'));

  // The checks are soft: a failure lists every problem at once.
  // Nothing sticks out past the right edge of the screen (with isMobile, Chromium would widen
  // the layout viewport to fit it, and the whole page would show zoomed out).
  const overflow = await page.evaluate((w) => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.right + scrollX > w + 0.5 || r.left + scrollX < -0.5)) {
        const id = el.getAttribute('data-testid') || el.getAttribute('data-field') || el.getAttribute('name') || '';
        const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().replace(/\s+/g, '.') : '';
        out.push(`${el.tagName.toLowerCase()}${cls}${id ? `[${id}]` : ''} ${Math.round(r.left + scrollX)}..${Math.round(r.right + scrollX)}`);
      }
    }
    return { innerWidth, scrollWidth: document.documentElement.scrollWidth, out };
  }, W);
  expect.soft(overflow, 'elements past the edge of a 375 px screen').toEqual({ innerWidth: W, scrollWidth: W, out: [] });
  expect.soft(await page.evaluate(() => document.documentElement.scrollWidth), 'scrollWidth').toBeLessThanOrEqual(W);

  // Every field and button of every goal: on the screen, and tall enough to touch.
  const goals = await rows(page).evaluateAll((trs) =>
    trs.map((tr) =>
      [...tr.querySelectorAll('[data-field], td.actions button')].map((el) => {
        const r = el.getBoundingClientRect();
        const visible = r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
        return { what: el.getAttribute('data-field') ?? el.getAttribute('data-action'), left: r.left + scrollX, right: r.right + scrollX, height: r.height, visible };
      }),
    ),
  );
  expect(goals.length).toBe(3);
  for (const [i, controls] of goals.entries()) {
    expect.soft(controls.map((c) => c.what), `goal ${i + 1}'s controls`).toEqual([
      'type', 'name', 'measure', 'weight', 'deadline', 'owner', 'support', 'up', 'down', 'remove',
    ]);
    for (const c of controls) {
      const what = `goal ${i + 1} ${c.what}`;
      expect.soft(c.visible, `${what}: visible`).toBe(true);
      expect.soft(c.left, `${what}: left edge`).toBeGreaterThanOrEqual(0);
      expect.soft(c.right, `${what}: right edge`).toBeLessThanOrEqual(W);
      expect.soft(c.height, `${what}: height`).toBeGreaterThanOrEqual(44);
    }
  }
  const add = await page.getByTestId('add-goal').evaluate((el) => el.getBoundingClientRect().toJSON());
  expect.soft(add.height, 'add goal: height').toBeGreaterThanOrEqual(44);
  expect.soft(add.right, 'add goal: right edge').toBeLessThanOrEqual(W);

  // Every other button, input and select on the page is a touch target too.
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea')]
      .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
      .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height }))
      .filter((x) => x.h < 44),
  );
  expect.soft(small, 'controls under 44 px tall').toEqual([]);

  expect(errors).toEqual([]);
  await context.close();
});

test('a full storage: the edit stays on screen, the warning shows, and the retry saves it', async ({ browser }) => {
  const context = await browser.newContext();
  // Saves of sheets throw as a full localStorage does while window.__failSaves is true.
  await context.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    window.__failSaves = false;
    window.__failedSaves = 0;
    Storage.prototype.setItem = function (key, value) {
      if (window.__failSaves && String(key).startsWith('goals:doc:')) {
        window.__failedSaves += 1;
        throw new DOMException(`Setting the value of '${key}' exceeded the quota.`, 'QuotaExceededError');
      }
      return setItem.call(this, key, value);
    };
  });
  // The relay can be cut off, so that what a reload shows can only come from this device.
  const relay = await relaySwitch(context);
  const errors = trackErrors(context);
  const page = await context.newPage();
  const { id } = await createSheet(page, { title: 'Full storage' });
  await addGoal(page, { name: 'Before', weight: '100' });
  await expect(page.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
  const stored = () => page.evaluate((key) => localStorage.getItem(key), `goals:doc:${id}`);
  const before = await stored();
  expect(before).toBeTruthy();

  // Cut the relay off: drop the connection (network off), and keep it from coming back.
  await context.setOffline(true);
  await expect(netStatus(page)).toHaveText('Offline');
  relay.block();
  await context.setOffline(false);
  await page.evaluate(() => { window.__failSaves = true; });
  const name = field(row(page, 0), 'name');
  await name.fill('Kept in the tab');
  const warning = page.getByTestId('storage-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAttribute('role', 'alert');
  await expect(warning).toContainText('kept in this tab');
  await expect(name).toHaveValue('Kept in the tab');
  expect(await page.evaluate(() => window.__failedSaves)).toBeGreaterThan(0);
  expect(await stored()).toBe(before);
  // The sheet's status does not claim the edit is saved (it used to say "Saved on this device").
  const status = page.getByTestId('doc-status');
  await expect(status).toHaveText('Not saved on this device yet: kept in this tab, retrying · offline');
  await expect(status).toHaveClass(/\bbad\b/);

  // Closing the tab now asks first; staying keeps the page and the edit.
  const asked = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const dialog = await asked;
  expect(dialog.type()).toBe('beforeunload');
  await dialog.dismiss();
  expect(page.isClosed()).toBe(false);
  await expect(name).toHaveValue('Kept in the tab');

  // Still failing: the retries keep failing and the warning stays.
  const failed = await page.evaluate(() => window.__failedSaves);
  await expect.poll(() => page.evaluate(() => window.__failedSaves), { timeout: 7_000 }).toBeGreaterThan(failed);
  await expect(warning).toBeVisible();

  // Room again: the periodic retry (every 5 s) saves, and the warning goes.
  await page.evaluate(() => { window.__failSaves = false; });
  await expect(warning).toBeHidden({ timeout: 7_000 });
  expect(await stored()).not.toBe(before);
  await expect(status).toHaveText('Saved on this device · offline');
  await expect(status).not.toHaveClass(/\bbad\b/);

  // Nothing lost: a reload, with the relay still unreachable, shows the edit from storage.
  await page.reload();
  await hydrated(page);
  await expect(netStatus(page)).toHaveText('Offline');
  await expect(field(row(page, 0), 'name')).toHaveValue('Kept in the tab');
  await expect(warning).toHaveCount(0);

  // And the next edit saves at once: fail, then make room and edit; the save happens in the
  // edit's own event handler (checked in the same task, so the 5 s timer cannot be the one).
  await page.evaluate(() => { window.__failSaves = true; });
  await field(row(page, 0), 'name').fill('Second try');
  await expect(warning).toBeVisible();
  const stuck = await stored();
  const savedInTheEdit = await page.evaluate(([key, before]) => {
    window.__failSaves = false;
    const el = document.querySelector('[data-testid=goal-row] [data-field=measure]');
    el.value = 'Saved on the next edit';
    el.dispatchEvent(new Event('input', { bubbles: true }));
    return localStorage.getItem(key) !== before;
  }, [`goals:doc:${id}`, stuck]);
  expect(savedInTheEdit).toBe(true);
  await expect(warning).toBeHidden();
  await page.reload();
  await hydrated(page);
  await expect(field(row(page, 0), 'name')).toHaveValue('Second try');
  await expect(field(row(page, 0), 'measure')).toHaveValue('Saved on the next edit');

  // With everything saved, closing the tab asks nothing.
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.type());
    d.dismiss().catch(() => {});
  });
  await field(row(page, 0), 'name').click();
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;
  expect(dialogs).toEqual([]);

  // (A reconnection tried in the moment the network was off fails in the console.)
  expect(errors.filter((e) => !isWebSocketFailure(e))).toEqual([]);
  await context.close();
});

/**
 * A copy of the built site served by a goals-server of its own, so that the test can deploy a
 * new service worker into it.
 *
 * Why not page.route / context.route on /sw.js: Chromium's service worker update check
 * (`registration.update()`, or the check on navigation) fetches the script from the browser
 * process, outside DevTools request interception. Playwright routes the *first* install's
 * script request (it is attributed to the new worker's target), but neither `context.route`
 * nor a browser-level CDP `Fetch.enable` sees the update check's request, so the byte-for-byte
 * comparison always finds the old script and no new worker installs. Serving a changed file is
 * what a deployment does anyway.
 */
async function deployableServer() {
  const dir = mkdtempSync(join(tmpdir(), 'goals-site-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'goals-data-'));
  cpSync(siteRoot(), dir, { recursive: true });
  const start = async (port) => {
    const previous = process.env.GOALS_SITE_ROOT;
    process.env.GOALS_SITE_ROOT = dir;
    try {
      return await startServer({ port, dataDir, stdio: ['ignore', 'ignore', 'inherit'] });
    } finally {
      if (previous === undefined) delete process.env.GOALS_SITE_ROOT;
      else process.env.GOALS_SITE_ROOT = previous;
    }
  };
  let server = await start();
  const swPath = join(dir, 'sw.js');
  const original = readFileSync(swPath, 'utf8');
  // The browser's update check revalidates sw.js by its Last-Modified time, which counts whole
  // seconds: each deployment here gets a later one, as a real one a while later would.
  let modified = Math.floor(Date.now() / 1000);
  return {
    url: server.url,
    version: versionIn(original),
    /** The path of the wasm chunk of the views loaded on demand (scripts/build names it). */
    chunk: original.match(/"(\/pkg\/split_[^"]*\.wasm)"/)[1],
    /**
     * Put a new service worker in place, as a deployment does before the server restarts: the
     * same shell with a new version (and `badAsset`'s recorded hash spoiled, if given).
     */
    deployWorker(version, { badAsset } = {}) {
      let text = original.replace(/const VERSION = "[^"]+"/, `const VERSION = "${version}"`);
      if (versionIn(text) !== version) throw new Error('VERSION not replaced');
      if (badAsset) {
        const spoiled = text.replace(new RegExp(`("${badAsset.replace(/[.]/g, '\\.')}": ")[0-9a-f]{64}"`), `$1${'0'.repeat(64)}"`);
        if (spoiled === text) throw new Error(`no hash of ${badAsset} in sw.js`);
        text = spoiled;
      }
      writeFileSync(swPath, text);
      writeFileSync(`${swPath}.gz`, gzipSync(text, { level: 9 }));
      writeFileSync(`${swPath}.br`, brotliCompressSync(text, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
      modified = Math.max(modified + 2, Math.floor(Date.now() / 1000));
      for (const f of [swPath, `${swPath}.gz`, `${swPath}.br`]) utimesSync(f, modified, modified);
    },
    /** The rest of the deployment: the build's version file, and the server restarted on it. */
    async restartAs(version) {
      writeFileSync(join(dir, 'version.txt'), `${version}\n`);
      const port = server.port;
      await server.stop();
      server = await start(port);
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Ask the browser to look for a new service worker (one is deployed) and wait for it to either
 * install ('installed') or be discarded ('redundant').
 */
function updateOutcome(page) {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return await new Promise((resolve, reject) => {
      reg.addEventListener(
        'updatefound',
        () => {
          const worker = reg.installing;
          const settled = () => {
            if (worker.state === 'installed' || worker.state === 'redundant') resolve(worker.state);
          };
          worker.addEventListener('statechange', settled);
          settled();
        },
        { once: true },
      );
      reg.update().catch(reject);
    });
  });
}

test('a new version: the banner offers it, the new worker takes over on the word, old cache gone', async ({ browser }) => {
  const server = await deployableServer();
  const context = await browser.newContext({ baseURL: server.url });
  const errors = trackErrors(context);
  try {
    const page = await context.newPage();
    await installServiceWorker(page);
    const { url } = await createSheet(page, { title: 'Across an update' });
    await addGoal(page, { name: 'Survives the update', weight: '100' });
    await expect(page.getByTestId('doc-status')).toHaveText('Saved on this device · synced');
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`goals-shell-${server.version}`]);
    await expect(page.getByTestId('update-ready')).toHaveCount(0);

    // A new worker is in place but the server still runs the old build: its pages are not the
    // new build's, so the new worker does not install, keeps no cache, and nothing is offered.
    const early = `${server.version}-early`;
    server.deployWorker(early);
    expect(versionIn(await (await context.request.get('/sw.js')).text())).toBe(early);
    expect((await context.request.get('/')).headers()['x-goals-version']).toBe(server.version);
    expect(await updateOutcome(page)).toBe('redundant');
    const untouched = async () => {
      expect(await page.evaluate(() => caches.keys())).toEqual([`goals-shell-${server.version}`]);
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).waiting)).toBeNull();
      await expect(page.getByTestId('update-ready')).toHaveCount(0);
    };
    await untouched();

    // The server restarted on a build whose files do not match what its worker recorded (one
    // asset's hash differs): not installed either.
    // The same for the wasm chunk of the views loaded on demand.
    for (const [suffix, badAsset] of [['spoiled', '/pkg/app.css'], ['spoiled-chunk', server.chunk]]) {
      const spoiled = `${server.version}-${suffix}`;
      server.deployWorker(spoiled, { badAsset });
      await server.restartAs(spoiled);
      expect((await context.request.get('/')).headers()['x-goals-version']).toBe(spoiled);
      expect(await updateOutcome(page)).toBe('redundant');
      await untouched();
    }
    await expect(field(row(page, 0), 'name')).toHaveValue('Survives the update');

    // The whole deployment: the new worker, and the server restarted on the new build.
    const next = `${server.version}-next`;
    server.deployWorker(next);
    await server.restartAs(next);
    expect(versionIn(await (await context.request.get('/sw.js')).text())).toBe(next);
    expect(await updateOutcome(page)).toBe('installed');

    // The new worker installs and waits; the old one still serves the page.
    const banner = page.getByTestId('update-ready');
    await expect(banner).toBeVisible({ timeout: 20_000 });
    await expect(banner).toContainText('A new version of the app is ready');
    const state = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return { waiting: reg.waiting?.state ?? null, active: reg.active?.state ?? null };
    });
    expect(state).toEqual({ waiting: 'installed', active: 'activated' });
    expect((await page.evaluate(() => caches.keys())).sort()).toEqual([`goals-shell-${server.version}`, `goals-shell-${next}`].sort());
    await expect(field(row(page, 0), 'name')).toHaveValue('Survives the update');

    // A tab opened now finds the worker waiting at its start and offers the update as well.
    const other = await context.newPage();
    await other.goto('/');
    await hydrated(other);
    await expect(other.getByTestId('update-ready')).toBeVisible();
    await other.close();

    // On the user's word: the new worker takes over and the page reloads.
    await page.evaluate(() => { window.__beforeUpdate = true; });
    const reloaded = page.waitForEvent('load');
    await page.getByTestId('apply-update').click();
    await reloaded;
    expect(page.url()).toBe(url);
    await hydrated(page);
    expect(await page.evaluate(() => window.__beforeUpdate ?? null)).toBeNull();
    await expect.poll(() => page.evaluate(() => caches.keys())).toEqual([`goals-shell-${next}`]);
    const after = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return { waiting: reg.waiting, active: reg.active?.state, controlled: navigator.serviceWorker.controller !== null };
    });
    expect(after).toEqual({ waiting: null, active: 'activated', controlled: true });
    await expect(page.getByTestId('update-ready')).toHaveCount(0);
    await expect(field(row(page, 0), 'name')).toHaveValue('Survives the update');

    // The new cache serves the shell: the app still starts offline.
    await context.setOffline(true);
    const res = await page.goto('/');
    expect(res.fromServiceWorker()).toBe(true);
    await hydrated(page);
    await expect(page.getByTestId('sheet-list')).toContainText('Across an update');
    expect(errors.filter((e) => !isWebSocketFailure(e))).toEqual([]);
  } finally {
    await context.close().catch(() => {});
    await server.stop();
  }
});

test('the home page shows the storage the sheets use, and warns near the quota', async ({ page }) => {
  const errors = trackErrors(page.context());
  await createSheet(page, { title: 'Storage usage' });
  await addGoal(page, { name: 'Measure me', weight: '100' });
  await page.goto('/');
  await waitOnline(page);
  const usage = page.getByTestId('storage-usage');
  await expect(usage).toBeVisible();
  await expect(usage).toHaveAttribute('data-quota', '10485760');
  const used = Number(await usage.getAttribute('data-used'));
  expect(used).toBeGreaterThan(0);
  // What the app's entries take in UTF-16.
  const expected = await page.evaluate(() => {
    let n = 0;
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith('goals:')) n += 2 * (k.length + localStorage.getItem(k).length);
    }
    return n;
  });
  expect(used).toBe(expected);
  await expect(usage).not.toHaveClass(/\bbad\b/);
  await expect(usage).not.toContainText('nearly full');

  // Past 80% of the quota: marked and explained.
  await page.evaluate(() => localStorage.setItem('goals:test-filler', 'x'.repeat(4_300_000)));
  await page.reload();
  await waitOnline(page);
  await expect(usage).toHaveClass(/\bbad\b/);
  await expect(usage).toContainText('Storage is nearly full: download a backup (below)');
  expect(Number(await usage.getAttribute('data-used'))).toBeGreaterThanOrEqual(0.8 * 10485760);
  await page.evaluate(() => localStorage.removeItem('goals:test-filler'));
  expect(errors).toEqual([]);
});
