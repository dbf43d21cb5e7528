/* The caregiver app's service worker (hand-written; built by the `pwa` plugin in apps/console/vite.config.ts,
 * which replaces __PRECACHE__ with every file of the build and __VERSION__ with their hash).
 *
 * - install: caches the whole console (index.html and every hashed asset, lazy pages included), so the app
 *   opens with no network at all;
 * - navigations: the network first (a new release shows at once), the cached index.html when offline;
 * - the build's own files: from the cache (their names change with their content);
 * - the api (/api/…): never touched; the app keeps the day's visits and its queue of actions in IndexedDB.
 */
const VERSION = '__VERSION__';
const CACHE = `care-console-${VERSION}`;
const PRECACHE = __PRECACHE__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(['/', ...PRECACHE.map((f) => `/${f}`)]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('care-console-') && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (/^\/(api|docs|health|admin)(\/|$|-)/.test(url.pathname)) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req).catch(() => caches.open(CACHE).then((cache) => cache.match('/').then((r) => r || Response.error()))),
    );
    return;
  }
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(req).then((hit) => hit || fetch(req))));
});
