import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { HomeroomDatabase } from '../data/database.ts';
import { subscribeLocalDatabase } from '../data/local-data.ts';

/**
 * The device's open database while the host is connected, for a view that writes to it
 * (reads go through RxController); undefined while none is open (signed out, opening).
 */
export class LocalDatabaseController implements ReactiveController {
  value: HomeroomDatabase | undefined;
  private stopWatching: (() => void) | undefined;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.stopWatching = subscribeLocalDatabase((db) => {
      this.value = db;
    });
  }

  hostDisconnected(): void {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }
}
