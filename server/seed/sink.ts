import { readTables, type TableInfo } from '../db/catalog.ts';
import type { Queryable, SqlParam } from '../db/store.ts';

export type Row = Record<string, SqlParam | undefined>;


/**
 * Buffers generated rows per table and writes them in batches with one
 * `INSERT … SELECT * FROM unnest($1::type[], …)` each; before a table is written,
 * every table it references is written first, so foreign keys always hold.
 */
export class BulkSink {
  private readonly buffers = new Map<string, Row[]>();
  readonly counts = new Map<string, number>();

  private constructor(
    private readonly db: Queryable,
    private readonly tables: Map<string, TableInfo>,
    private readonly batchSize: number,
  ) {}

  /** The caller holds the district's seq lock (lock_district_seq), so rows take seq here, in order. */
  private seqHeld = false;

  async holdSeq(districtId: string): Promise<void> {
    await this.db.query('SELECT lock_district_seq($1)', [districtId]);
    this.seqHeld = true;
  }

  static async open(db: Queryable, batchSize = 2_000): Promise<BulkSink> {
    const tables = await readTables(db);
    return new BulkSink(db, tables, batchSize);
  }

  add(table: string, row: Row): void {
    const buffer = this.buffers.get(table);
    if (buffer) buffer.push(row);
    else this.buffers.set(table, [row]);
  }

  /** Writes every buffer that is full (and, first, everything those rows reference). */
  async drain(): Promise<void> {
    for (const [table, rows] of this.buffers) {
      if (rows.length >= this.batchSize) await this.flushUpTo(this.rank(table));
    }
  }

  async flushAll(): Promise<void> {
    await this.flushUpTo(Number.POSITIVE_INFINITY);
  }

  /**
   * Checks every foreign key of the tables this sink wrote, once per constraint over the
   * district's rows (an anti-join), for a load that ran without the per-row checks. Throws on the
   * first reference to a missing row, so the caller's transaction rolls back.
   */
  async checkForeignKeys(districtId: string): Promise<void> {
    const keys = await this.db.query<{ name: string; child: string; parent: string; columns: string[]; referenced: string[] }>(
      `SELECT k.conname AS name, child.relname AS child, parent.relname AS parent,
              ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i) AS columns,
              ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i) AS referenced
         FROM pg_constraint k
         JOIN pg_class child ON child.oid = k.conrelid
         JOIN pg_class parent ON parent.oid = k.confrelid
        WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace AND child.relname = ANY($1::text[])
        ORDER BY child.relname, k.conname`,
      [[...this.counts.keys()]],
    );
    for (const key of keys) {
      // MATCH SIMPLE, as the constraints are declared: a reference with a null column is not checked.
      const present = key.columns.map((column) => `c.${column} IS NOT NULL`).join(' AND ');
      const matches = key.columns.map((column, i) => `p.${key.referenced[i]} = c.${column}`).join(' AND ');
      const inDistrict = this.tables.get(key.child)?.types.has('district_id') ? 'c.district_id = $1' : '$1::uuid IS NOT NULL';
      const missing = await this.db.query(
        `SELECT 1 FROM ${key.child} c WHERE ${inDistrict} AND ${present} AND NOT EXISTS (SELECT 1 FROM ${key.parent} p WHERE ${matches}) LIMIT 1`,
        [districtId],
      );
      if (missing.length > 0) throw new Error(`${key.child} violates its foreign key ${key.name}: a row names a missing ${key.parent} row`);
    }
  }

  private rank(table: string): number {
    const info = this.tables.get(table);
    if (!info) throw new Error(`unknown table ${table}`);
    return info.rank;
  }

  private async flushUpTo(maxRank: number): Promise<void> {
    const pending = [...this.buffers.keys()]
      .filter((table) => this.rank(table) <= maxRank)
      .sort((a, b) => this.rank(a) - this.rank(b));
    for (const table of pending) {
      const rows = this.buffers.get(table) ?? [];
      this.buffers.delete(table);
      for (let i = 0; i < rows.length; i += this.batchSize) await this.insert(table, rows.slice(i, i + this.batchSize));
    }
  }

  private async insert(table: string, rows: Row[]): Promise<void> {
    const info = this.tables.get(table)!;
    const columns = Object.keys(rows[0]!);
    // An array column (type name `_int2` etc.) travels as one array literal per row: unnest would flatten a list of lists.
    const isArray = (column: string) => info.types.get(column)?.startsWith('_') ?? false;
    const params = columns.map((column) => rows.map((row) => {
      const value = row[column];
      if (value === undefined) throw new Error(`${table}.${column} missing in a generated row`);
      if (isArray(column)) return Array.isArray(value) ? `{${value.join(',')}}` : value;
      return value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)
        ? JSON.stringify(value)
        : value;
    }));
    const casts = columns.map((column, i) => {
      const type = info.types.get(column);
      if (!type) throw new Error(`${table} has no column ${column}`);
      return isArray(column) ? `$${i + 1}::text[]` : `$${i + 1}::${type}[]`;
    });
    const selected = columns.map((column, i) => (isArray(column) ? `c${i}::${info.types.get(column)}` : `c${i}`)).join(', ');
    const from = `unnest(${casts.join(', ')}) AS u(${columns.map((_, i) => `c${i}`).join(', ')})`;
    const takesSeq = this.seqHeld && info.types.has('seq') && !columns.includes('seq');
    await this.db.query(
      takesSeq
        ? `INSERT INTO ${table} (${columns.join(', ')}, seq) SELECT ${selected}, nextval('sync_seq') FROM ${from}`
        : `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${selected} FROM ${from}`,
      params as SqlParam[],
    );
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length);
  }
}
