import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Whether the browser believes it is online (`navigator.onLine`), kept current from the
 * window's `online` and `offline` events; re-renders its host when that changes, so a view can
 * say it is offline or is waiting for the network.
 */
export class OnlineController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  /** `navigator.onLine` as last seen. */
  online: boolean;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    this.online = navigator.onLine;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('online', this.onChange);
    window.addEventListener('offline', this.onChange);
    this.onChange();
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.onChange);
    window.removeEventListener('offline', this.onChange);
  }

  private readonly onChange = (): void => {
    if (this.online === navigator.onLine) return;
    this.online = navigator.onLine;
    this.host.requestUpdate();
  };
}
