// Start goals-server on a port with a fresh, temporary data directory.
//
// Used by playwright.config.mjs (as the `webServer` command: `node support/server.mjs <port>`)
// and by bench/latency.mjs (through `startServer`).
//
// The binary is $GOALS_SERVER_BIN, else target/release/goals-server if it was built, else
// target/debug/goals-server. The site is $GOALS_SITE_ROOT, else target/site.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function serverBinary() {
  if (process.env.GOALS_SERVER_BIN) return resolve(process.env.GOALS_SERVER_BIN);
  const release = join(REPO_ROOT, 'target', 'release', 'goals-server');
  if (existsSync(release)) return release;
  return join(REPO_ROOT, 'target', 'debug', 'goals-server');
}

export function siteRoot() {
  return resolve(process.env.GOALS_SITE_ROOT || join(REPO_ROOT, 'target', 'site'));
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function checkBuilt(bin, site) {
  if (!existsSync(bin)) {
    throw new Error(`no server binary at ${bin}: build it with scripts/build (or PROFILE=dev scripts/build), or set GOALS_SERVER_BIN`);
  }
  if (!existsSync(join(site, 'pkg', 'app.js'))) {
    throw new Error(`no built site at ${site}: build it with scripts/build`);
  }
}

/**
 * Spawn the server. Resolves once it answers HTTP, with { url, port, dataDir, stop() }.
 * stop() ends the server and removes its data directory, unless `dataDir` was given (then the
 * caller owns it: a restart can reuse it).
 */
export async function startServer({ port, dataDir, stdio = ['ignore', 'inherit', 'inherit'], timeoutMs = 30_000 } = {}) {
  const bin = serverBinary();
  const site = siteRoot();
  checkBuilt(bin, site);
  port ??= await freePort();
  const ownsData = !dataDir;
  dataDir ??= mkdtempSync(join(tmpdir(), 'goals-e2e-'));
  const child = spawn(bin, [], {
    stdio,
    env: {
      ...process.env,
      GOALS_ADDR: `127.0.0.1:${port}`,
      GOALS_DATA_DIR: dataDir,
      GOALS_SITE_ROOT: site,
      RUST_LOG: process.env.RUST_LOG || 'warn',
    },
  });
  let exited = null;
  const exit = new Promise((res) => child.on('exit', (code, signal) => { exited = { code, signal }; res(exited); }));
  const cleanup = () => {
    if (ownsData) rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = async () => {
    if (!exited) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    cleanup();
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      cleanup();
      throw new Error(`goals-server exited before serving (${JSON.stringify(exited)})`);
    }
    try {
      const r = await fetch(url + '/');
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`goals-server did not answer on ${url} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, dataDir, child, stop, exit };
}

// `node support/server.mjs <port>`: run until signalled, then stop and clean up.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || process.env.GOALS_E2E_PORT || 3100);
  const server = await startServer({ port });
  console.log(`goals-server for the browser tests: ${server.url} (data in ${server.dataDir})`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, shutdown);
  server.exit.then(async (how) => {
    if (stopping) return;
    console.error(`goals-server exited: ${JSON.stringify(how)}`);
    await server.stop();
    process.exit(1);
  });
}
