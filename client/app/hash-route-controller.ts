import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { hashParams } from './views.ts';

/**
 * Follows the address while its host is connected: calls `onRoute` with the parameters of
 * `#/<view>?…` now and after every change of the hash that stays on that view (a hash that
 * has left for another view is not this view's to read).
 */
export class HashRouteController implements ReactiveController {
  private readonly view: string;
  private readonly onRoute: (params: URLSearchParams) => void;

  constructor(host: ReactiveControllerHost, view: string, onRoute: (params: URLSearchParams) => void) {
    this.view = view;
    this.onRoute = onRoute;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('hashchange', this.read);
    this.read();
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.read);
  }

  private readonly read = (): void => {
    if (!location.hash.startsWith(`#/${this.view}`)) return;
    this.onRoute(hashParams(location.hash));
  };
}
