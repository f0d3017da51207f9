/**
 * The one way views read RxDB: a Lit reactive controller that runs a query against the
 * signed-in account's database, re-renders its host with new results, and unsubscribes
 * when the host leaves the page or the database goes away (sign-out).
 *
 *   private readonly students = new RxController(this, observeStudents);
 *   render() { return this.students.value?.map(…) }
 *
 * A screen reads a dozen queries: when the database opens they start one per task, and the
 * results that arrive within one frame re-render the host once (a phone's main thread stays
 * free to paint and answer between them).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Observable, Unsubscribable } from 'rxjs';
import { yieldToMain } from '../lib/yield-to-main.ts';
import type { HomeroomDatabase } from './database.ts';
import { subscribeLocalDatabase } from './local-data.ts';

/** Queries waiting for their turn to start, in the order they were asked for. */
const queriesToStart: Array<() => void> = [];
let startingQueries = false;

/** Runs `start` in a task of its own, after the queries asked for before it. */
function startInTurn(start: () => void): void {
  queriesToStart.push(start);
  if (startingQueries) return;
  startingQueries = true;
  void (async () => {
    try {
      while (queriesToStart.length > 0) {
        await yieldToMain();
        try {
          queriesToStart.shift()!();
        } catch (error) {
          console.error('Homeroom: a query could not start', error); // the others still do
        }
      }
    } finally {
      startingQueries = false;
    }
  })();
}

/** Hosts with new results to show at the next frame. */
const hostsToUpdate = new Set<ReactiveControllerHost>();
let frameAsked = false;

function updateHosts(): void {
  frameAsked = false;
  const hosts = [...hostsToUpdate];
  hostsToUpdate.clear();
  for (const host of hosts) host.requestUpdate();
}

/**
 * Re-renders `host` once for every result that arrives before the next frame. A page the
 * browser does not paint (a hidden tab) has no frames: a timer stands in.
 */
function updateBeforeNextFrame(host: ReactiveControllerHost): void {
  hostsToUpdate.add(host);
  if (frameAsked) return;
  frameAsked = true;
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    updateHosts();
  };
  requestAnimationFrame(once);
  setTimeout(once, 100);
}

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
    const asked = { cancelled: false };
    this.subscription = { unsubscribe: () => void (asked.cancelled = true) };
    startInTurn(() => {
      if (asked.cancelled) return; // the host left, or the database changed, before its turn
      this.subscription = this.query(db).subscribe({
        next: (value) => {
          this.value = value;
          updateBeforeNextFrame(this.host);
        },
        // A query fails when its database closes under it; the next database starts a new one.
        error: () => undefined,
      });
    });
  };
}
