// Registers the service worker and tells the app when a new version is waiting.
// The app shows "a new version is ready" on the `goals:update-ready` event (or, if it missed
// it, when `window.__goalsWaiting` is set) and calls `window.__goalsApplyUpdate()` when the
// user agrees; the page reloads once the new worker has taken over.
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
      reg.addEventListener("updatefound", () => {
        const worker = reg.installing;
        if (!worker) return;
        worker.addEventListener("statechange", () => {
          if (worker.state === "installed" && navigator.serviceWorker.controller) announce(worker);
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
