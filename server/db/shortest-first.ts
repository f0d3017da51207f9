/**
 * The order in which PGlite's only thread runs the statements waiting for it: the one expected
 * to take least first, by what the same statement text took before. Statements that wait
 * together were asked concurrently (each asker awaits its own), so any order among them is one
 * the askers could have seen. In arrival order a family's first sync queued each pull's short
 * access-log write behind the other pulls' pages, so all eleven answers left together at the
 * end; shortest first, each pull is answered as its page is done, and the server and the
 * device work on one page while the database reads the next.
 *
 * A statement that has waited longer than `maxWaitMs` goes next whatever it costs, so a stream
 * of short statements never starves a long one.
 *
 * The next is chosen in a later turn of the event loop (`setImmediate`), never in the asker's: on
 * the thread a statement runs to its end within the microtasks of the message that asked it, and
 * the next message is read only then, so choosing at once ran every statement in arrival order.
 */
interface Waiting {
  key: string;
  cost: number;
  asked: number;
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** What a statement never seen before is expected to take, in ms. */
const UNKNOWN_COST = 1;
/** Statement texts whose times are kept; the least recently learnt is forgotten beyond it. */
const KEPT = 1000;

export class ShortestFirst {
  readonly #maxWaitMs: number;
  readonly #costs = new Map<string, number>();
  /** In the order asked: the first has waited longest. */
  readonly #waiting: Waiting[] = [];
  #running = false;
  #choosing = false;

  constructor(options: { maxWaitMs?: number } = {}) {
    this.#maxWaitMs = options.maxWaitMs ?? 100;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({ key, cost: this.#costs.get(key) ?? UNKNOWN_COST, asked: performance.now(), task, resolve: resolve as (value: unknown) => void, reject });
      this.#choose();
    });
  }

  /** Chooses the next once the messages that have arrived are all asked (see the top of this file). */
  #choose(): void {
    if (this.#choosing) return;
    this.#choosing = true;
    setImmediate(() => {
      this.#choosing = false;
      this.#next();
    });
  }

  #next(): void {
    if (this.#running || this.#waiting.length === 0) return;
    const now = performance.now();
    let pick = 0;
    if (now - this.#waiting[0]!.asked <= this.#maxWaitMs) {
      for (let i = 1; i < this.#waiting.length; i += 1) if (this.#waiting[i]!.cost < this.#waiting[pick]!.cost) pick = i;
    }
    const [chosen] = this.#waiting.splice(pick, 1);
    const { key, task, resolve, reject } = chosen!;
    this.#running = true;
    const started = performance.now();
    task()
      .then(resolve, reject)
      .finally(() => {
        this.#learn(key, performance.now() - started);
        this.#running = false;
        this.#choose();
      });
  }

  #learn(key: string, took: number): void {
    const before = this.#costs.get(key);
    this.#costs.delete(key);
    // Mostly the latest time: a statement's cost follows who asks it (a family's page or an office's).
    this.#costs.set(key, before === undefined ? took : 0.3 * before + 0.7 * took);
    if (this.#costs.size > KEPT) this.#costs.delete(this.#costs.keys().next().value!);
  }
}
