/**
 * Registers the service worker (production builds only) and offers a reload when a new
 * version is waiting. Every open tab reloads when the new worker takes control, so no tab
 * keeps running old code against storage the new version may have migrated.
 *
 * Runs after the page has loaded (main.ts), and brings workbox-window in as a chunk of its own
 * then: the sign-in screen's first paint does not wait for it.
 */
import type { Workbox } from 'workbox-window';

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

  void import('workbox-window').then(({ Workbox }) => {
    const workbox = new Workbox('/sw.js', { scope: '/' });
    workbox.addEventListener('waiting', () => {
      void showUpdatePrompt(workbox);
    });
    void workbox.register().then((registration) => {
      if (!registration) return;
      setInterval(() => registration.update().catch(() => undefined), updateCheckInterval); // offline: try next time
    });
  });
}

async function showUpdatePrompt(workbox: Workbox): Promise<void> {
  await import('../components/hr-update-prompt.ts');
  if (document.querySelector('hr-update-prompt')) return;
  const prompt = document.createElement('hr-update-prompt');
  prompt.addEventListener('hr-update-accept', () => workbox.messageSkipWaiting());
  document.body.append(prompt);
}
