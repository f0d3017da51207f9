/** Entry point: starts translations and the first view together, then the service worker. */
import { firstScreenShown } from './hr-app.ts';
import { initI18n } from './i18n.ts';
import { registerServiceWorker } from './register-sw.ts';
import { loadView, viewFromHash } from './views.ts';

void initI18n();
// Fetch the first view's module while translations load, so neither waits for the other.
void loadView(viewFromHash(location.hash));

// What the first screen does not need waits until it has painted (hr-app): the service worker
// with its precache downloads, and the web app manifest (only read to install the app).
window.addEventListener(
  firstScreenShown,
  () => {
    registerServiceWorker();
    const manifest = document.createElement('link');
    manifest.rel = 'manifest';
    manifest.href = '/manifest.webmanifest';
    document.head.append(manifest);
  },
  { once: true },
);
