/** Entry point: starts translations and the first view together, then the service worker. */
import './hr-app.ts';
import { initI18n } from './i18n.ts';
import { registerServiceWorker } from './register-sw.ts';
import { loadView, viewFromHash } from './views.ts';

void initI18n();
// Fetch the first view's module while translations load, so neither waits for the other.
void loadView(viewFromHash(location.hash));

// The worker's precache downloads compete with the first screen: register it once loaded.
if (document.readyState === 'complete') registerServiceWorker();
else window.addEventListener('load', registerServiceWorker, { once: true });
