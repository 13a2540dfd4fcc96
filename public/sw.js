// The service worker: the app shell in a cache of its own version, so the app starts and works
// with no network, and a new version never mixes with an old one.
//
// scripts/build writes the build's version (a hash of the app shell) into VERSION below, so
// every new build is a new service worker. It installs in the background
// into a new cache; the page says "a new version is ready", and only on the user's word does it
// take over (SKIP_WAITING), after which the page reloads and the old cache is deleted. Until
// then the old worker serves the old HTML, JavaScript and wasm together.
//
// The new cache holds one build only. A deployment puts the new files and this script in place
// before the server restarts, and the HTML of the pages comes from the server: so every page
// must carry this build's version (the server's x-goals-version header, read from version.txt
// when it starts), and every asset must have the SHA-256 this build wrote for it. If anything
// differs, the install fails, nothing is kept, the old version stays, and the update is tried
// again later (sw-register.js).
const VERSION = "__BUILD_VERSION__";
const CACHE = `goals-shell-${VERSION}`;
// Filled in by scripts/build: each asset's path and the SHA-256 (hex) of its bytes.
const ASSET_SHA256 = {"__ASSET_SHA256__": ""};

// Every sheet page renders the same HTML on the server (its content comes from this device's
// storage after hydration), so one sheet page, for a fixed id, is the shell of them all.
const SHEET_SHELL = "/sheet/11111111111111114Ki9Gx";
const PRINT_SHELL = `${SHEET_SHELL}/print`;
const KB_SHELL = "/kb/11111111111111114Ki9Gx";
const SHELL = ["/", SHEET_SHELL, PRINT_SHELL, KB_SHELL, "/me"];
// The views loaded on demand: their loader (which app.js imports) and their wasm chunks, filled
// in by scripts/build (the chunks' names are its own). Kept like the rest, so that every view
// works offline, and hash-checked like every asset.
const ON_DEMAND = ["__ON_DEMAND__"];
const ASSETS = [
  "/pkg/app.js",
  "/pkg/app_bg.wasm",
  "/pkg/app.css",
  "/sw-register.js",
  "/manifest.webmanifest",
  "/favicon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/icon-maskable-512.png",
  "/icons/apple-touch-icon.png",
  ...ON_DEMAND,
];

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Fetch one file of the shell from the network, and check that it belongs to this build. */
async function fetchChecked(url) {
  const response = await fetch(new Request(url, { cache: "reload" }));
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (SHELL.includes(url)) {
    const build = response.headers.get("x-goals-version");
    if (build !== VERSION) {
      throw new Error(`${url} comes from build ${build}, this worker is build ${VERSION} (server not restarted yet?)`);
    }
  } else {
    const want = ASSET_SHA256[url];
    const got = hex(await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer()));
    if (got !== want) throw new Error(`${url} is not build ${VERSION}'s (SHA-256 ${got}, expected ${want})`);
  }
  return response;
}

self.addEventListener("install", (event) => {
  // All or nothing: if one file fails or belongs to another build, this version does not
  // install, its cache is not kept, and the old version stays.
  event.waitUntil(
    (async () => {
      const urls = [...SHELL, ...ASSETS];
      const responses = await Promise.all(urls.map(fetchChecked));
      const existed = await caches.has(CACHE);
      try {
        const cache = await caches.open(CACHE);
        await Promise.all(urls.map((url, i) => cache.put(url, responses[i])));
      } catch (e) {
        if (!existed) await caches.delete(CACHE);
        throw e;
      }
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith("goals-shell-") && n !== CACHE).map((n) => caches.delete(n))
      );
      await self.clients.claim();
    })()
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

function shellFor(pathname) {
  if (pathname === "/") return "/";
  if (pathname === "/me") return "/me";
  if (/^\/sheet\/[^/]+\/print$/.test(pathname)) return PRINT_SHELL;
  if (/^\/sheet\/[^/]+$/.test(pathname)) return SHEET_SHELL;
  if (/^\/kb\/[^/]+$/.test(pathname)) return KB_SHELL;
  return null;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    const shell = shellFor(url.pathname);
    if (shell) {
      event.respondWith(
        caches.open(CACHE).then(async (cache) => (await cache.match(shell)) || fetch(request))
      );
    }
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => (await cache.match(url.pathname)) || fetch(request))
    );
  }
});
