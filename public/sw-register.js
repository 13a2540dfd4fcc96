// Registers the service worker and tells the app when a new version is waiting.
// The app shows "a new version is ready" on the `goals:update-ready` event (or, if it missed
// it, when `window.__goalsWaiting` is set) and calls `window.__goalsApplyUpdate()` when the
// user agrees; the page reloads once the new worker has taken over. A new version that fails to
// install (its server is not restarted yet, say: see sw.js) is tried again later.
(function () {
  if (!("serviceWorker" in navigator)) return;
  const announce = (worker) => {
    window.__goalsWaiting = worker;
    window.dispatchEvent(new Event("goals:update-ready"));
  };
  window.__goalsApplyUpdate = () => {
    const worker = window.__goalsWaiting;
    if (!worker) return;
    window.__goalsApplying = true;
    worker.postMessage({ type: "SKIP_WAITING" });
  };
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (window.__goalsApplying && !window.__goalsReloading) {
      window.__goalsReloading = true;
      location.reload();
    }
  });
  const register = async () => {
    try {
      const reg = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      if (reg.waiting && navigator.serviceWorker.controller) announce(reg.waiting);
      const RETRY_FIRST = 60 * 1000;
      const RETRY_MAX = 30 * 60 * 1000;
      let retry = RETRY_FIRST;
      reg.addEventListener("updatefound", () => {
        const worker = reg.installing;
        if (!worker) return;
        let installed = false;
        worker.addEventListener("statechange", () => {
          if (worker.state === "installed") {
            installed = true;
            retry = RETRY_FIRST;
            if (navigator.serviceWorker.controller) announce(worker);
          }
          // Discarded before it installed: try again, less and less often.
          if (worker.state === "redundant" && !installed) {
            setTimeout(() => reg.update().catch(() => {}), retry);
            retry = Math.min(retry * 2, RETRY_MAX);
          }
        });
      });
      // Look for a new version now and then while the app stays open.
      setInterval(() => reg.update().catch(() => {}), 30 * 60 * 1000);
    } catch (e) {
      console.warn("the app will not work offline: service worker not registered", e);
    }
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
})();
