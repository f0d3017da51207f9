/**
 * The one way views read RxDB: a Lit reactive controller that runs a query against the
 * signed-in account's database, re-renders its host on every new result, and unsubscribes
 * when the host leaves the page or the database goes away (sign-out).
 *
 *   private readonly students = new RxController(this, observeStudents);
 *   render() { return this.students.value?.map(…) }
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Observable, Unsubscribable } from 'rxjs';
import type { HomeroomDatabase } from './database.ts';
import { subscribeLocalDatabase } from './local-data.ts';

export class RxController<Value> implements ReactiveController {
  /** The latest result; undefined until the database is open and the query has answered. */
  value: Value | undefined = undefined;

  private readonly host: ReactiveControllerHost;
  private readonly query: (db: HomeroomDatabase) => Observable<Value>;
  private stopWatchingDatabase: (() => void) | undefined;
  private subscription: Unsubscribable | undefined;

  constructor(host: ReactiveControllerHost, query: (db: HomeroomDatabase) => Observable<Value>) {
    this.host = host;
    this.query = query;
    host.addController(this);
  }

  /** True once the query has answered at least once for the open database. */
  get ready(): boolean {
    return this.value !== undefined;
  }

  hostConnected(): void {
    this.stopWatchingDatabase = subscribeLocalDatabase(this.onDatabase);
  }

  hostDisconnected(): void {
    this.stopWatchingDatabase?.();
    this.stopWatchingDatabase = undefined;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private readonly onDatabase = (db: HomeroomDatabase | undefined): void => {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    if (this.value !== undefined) {
      this.value = undefined;
      this.host.requestUpdate();
    }
    if (!db) return;
    this.subscription = this.query(db).subscribe({
      next: (value) => {
        this.value = value;
        this.host.requestUpdate();
      },
      // A query fails when its database closes under it; the next database starts a new one.
      error: () => undefined,
    });
  };
}
