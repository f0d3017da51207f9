/**
 * Named statements on PGlite, planned once. PGlite's own `query` sends every statement unnamed:
 * parsed, analysed and planned anew each time, in six calls into the WebAssembly module. A pull's
 * statement (grants, rosters, several joins) took longer to plan than to run: demo-guardian's
 * first sync spent about 35 of its 77 ms of SQL planning (EXPLAIN without ANALYZE, min of 7).
 * Here each distinct statement text is parsed once under a name, and every later run is one call
 * (bind, describe, execute, sync) that reuses its generic plan. PostgreSQL plans a generic plan
 * only after five custom ones unless `plan_cache_mode` says otherwise; PGlite serves one process,
 * so its session is set to generic plans once, outside any transaction.
 */
import { parse, protocol, type PGlite } from '@electric-sql/pglite';

const { serialize } = protocol;

/** Distinct statement texts kept prepared; the least recently used is closed beyond it. */
const KEPT = 500;

interface Prepared {
  name: string;
  /** The parameter types PostgreSQL inferred, which choose each value's text form. */
  types: number[];
}

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) out.set(part, offset), (offset += part.length);
  return out;
}

export class PgliteStatements {
  readonly #db: PGlite;
  readonly #prepared = new Map<string, Prepared>();
  #count = 0;
  #generic = false;

  constructor(db: PGlite) {
    this.#db = db;
  }

  /**
   * Runs one statement with its parameters. Outside a transaction it waits for any running
   * transaction, as PGlite's `query` does; inside one (the caller's callback holds it) only for
   * the statement before it.
   */
  query<Row>(sql: string, params: readonly unknown[], inTransaction: boolean): Promise<Row[]> {
    const run = () => this.#db.runExclusive(() => this.#run<Row>(sql, params, inTransaction));
    return inTransaction ? run() : this.#db._runExclusiveTransaction(run);
  }

  async #run<Row>(sql: string, params: readonly unknown[], inTransaction: boolean): Promise<Row[]> {
    const db = this.#db;
    if (!this.#generic && !inTransaction) {
      // A SET inside a transaction would end with it: set once in the session itself.
      await db.execProtocolStream(serialize.query('SET plan_cache_mode = force_generic_plan'), { syncToFs: false });
      this.#generic = true;
    }
    const statement = await this.#statement(sql);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const write = db.serializers[statement.types[i]!];
      return write ? write(value) : String(value);
    });
    const messages = await db.execProtocolStream(
      joined([serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
      { syncToFs: !inTransaction },
    );
    return (parse.parseResults(messages, db.parsers)[0]?.rows ?? []) as Row[];
  }

  async #statement(sql: string): Promise<Prepared> {
    const known = this.#prepared.get(sql);
    if (known) {
      // Most recently used last, so the first is the one to close.
      this.#prepared.delete(sql);
      this.#prepared.set(sql, known);
      return known;
    }
    const name = `hr_${(this.#count += 1)}`;
    const described = await this.#db.execProtocolStream(
      joined([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const prepared = { name, types: parse.parseDescribeStatementResults(described) };
    this.#prepared.set(sql, prepared);
    if (this.#prepared.size > KEPT) {
      const [oldest, { name: closing }] = this.#prepared.entries().next().value!;
      this.#prepared.delete(oldest);
      await this.#db.execProtocolStream(joined([serialize.close({ type: 'S', name: closing }), serialize.sync()]), { syncToFs: false });
    }
    return prepared;
  }
}
