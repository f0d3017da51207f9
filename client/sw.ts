/// <reference lib="webworker" />
/**
 * Service worker: precaches the app shell so Homeroom opens without a network.
 * Records are not cached here: RxDB holds them, and per-user API responses never
 * belong in a shared cache. `/api/` is left unrouted, so it always goes to the network.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & typeof globalThis;

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// Every page is the same shell; the client-side router picks the view.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));

// No skipWaiting() on install: the page asks first, so an update never swaps code mid-task.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
