/**
 * Registers the service worker (production builds only) and offers a reload when a new
 * version is waiting. Every open tab reloads when the new worker takes control, so no tab
 * keeps running old code against storage the new version may have migrated.
 *
 * The browser's own API rather than workbox-window: this runs on the sign-in screen, whose
 * JavaScript has a budget (docs/benchmarks.md), and needs only `register`, `updatefound` and a
 * message to the waiting worker (client/sw.ts answers `SKIP_WAITING`).
 */
const updateCheckInterval = 60 * 60 * 1000; // staff leave the app open all day

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;

  // A first install takes control without an update: only reload when replacing a worker.
  const hadController = navigator.serviceWorker.controller !== null;
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!hadController || reloading) return;
    reloading = true;
    location.reload();
  });

  navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(
    (registration) => {
      // A new version waits when a worker already controls this page: one left waiting by an
      // earlier visit, or one that finishes installing while the page is open.
      if (registration.waiting && navigator.serviceWorker.controller) void showUpdatePrompt(registration);
      registration.addEventListener('updatefound', () => {
        const installing = registration.installing;
        installing?.addEventListener('statechange', () => {
          if (installing.state === 'installed' && navigator.serviceWorker.controller) void showUpdatePrompt(registration);
        });
      });
      setInterval(() => registration.update().catch(() => undefined), updateCheckInterval); // offline: try next time
    },
    (error: unknown) => console.warn('Homeroom: the service worker could not be registered', error),
  );
}

async function showUpdatePrompt(registration: ServiceWorkerRegistration): Promise<void> {
  await import('../components/hr-update-prompt.ts');
  if (document.querySelector('hr-update-prompt')) return;
  const prompt = document.createElement('hr-update-prompt');
  // The newest waiting worker takes over; the reload follows its `controllerchange`.
  prompt.addEventListener('hr-update-accept', () => registration.waiting?.postMessage({ type: 'SKIP_WAITING' }));
  document.body.append(prompt);
}
