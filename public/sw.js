// The service worker: the app shell in a cache of its own version, so the app starts and works
// with no network, and a new version never mixes with an old one.
//
// scripts/build writes the build's version (a hash of the app shell) into VERSION below, so
// every new build is a new service worker. It installs in the background
// into a new cache; the page says "a new version is ready", and only on the user's word does it
// take over (SKIP_WAITING), after which the page reloads and the old cache is deleted. Until
// then the old worker serves the old HTML, JavaScript and wasm together.
const VERSION = "__BUILD_VERSION__";
const CACHE = `goals-shell-${VERSION}`;

// Every sheet page renders the same HTML on the server (its content comes from this device's
// storage after hydration), so one sheet page, for a fixed id, is the shell of them all.
const SHEET_SHELL = "/sheet/11111111111111114Ki9Gx";
const PRINT_SHELL = `${SHEET_SHELL}/print`;
const KB_SHELL = "/kb/11111111111111114Ki9Gx";
const SHELL = ["/", SHEET_SHELL, PRINT_SHELL, KB_SHELL, "/me"];
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
];

self.addEventListener("install", (event) => {
  // All or nothing: if one file fails, this version does not install and the old one stays.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll([...SHELL, ...ASSETS].map((url) => new Request(url, { cache: "reload" })))
    )
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
