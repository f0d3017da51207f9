import type { Queryable } from './store.ts';

export interface TableInfo {
  /** Column name → PostgreSQL type name (e.g. uuid, int2, jsonb). */
  types: Map<string, string>;
  /** Length of the longest chain of foreign keys below the table: parents rank lower. */
  rank: number;
}

/** Reads the tables of the current schema, their column types and their reference order. */
export async function readTables(db: Queryable): Promise<Map<string, TableInfo>> {
  const columns = await db.query<{ table_name: string; column_name: string; type_name: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, t.typname AS type_name
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_type t ON t.oid = a.atttypid
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  const references = await db.query<{ child: string; parent: string }>(
    `SELECT child.relname AS child, parent.relname AS parent
       FROM pg_constraint k
       JOIN pg_class child ON child.oid = k.conrelid
       JOIN pg_class parent ON parent.oid = k.confrelid
      WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace`,
  );
  const tables = new Map<string, TableInfo>();
  for (const { table_name, column_name, type_name } of columns) {
    const info = tables.get(table_name) ?? { types: new Map(), rank: 0 };
    info.types.set(column_name, type_name);
    tables.set(table_name, info);
  }
  const parents = new Map<string, string[]>();
  for (const { child, parent } of references) {
    if (child !== parent) parents.set(child, [...(parents.get(child) ?? []), parent]);
  }
  const rankOf = (table: string, path: readonly string[] = []): number => {
    if (path.includes(table)) throw new Error(`reference cycle through ${table}`);
    const above = parents.get(table) ?? [];
    return above.length === 0 ? 0 : 1 + Math.max(...above.map((p) => rankOf(p, [...path, table])));
  };
  for (const [name, info] of tables) info.rank = rankOf(name);
  return tables;
}
