// Registers the service worker that lets the caregiver app open without network (src/pwa/sw.js). Browsers allow
// service workers only in a secure context (https, or http on localhost); elsewhere the console works online
// as before, and the queue of caregiver actions (IndexedDB) still keeps what was done while the api was away.

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
