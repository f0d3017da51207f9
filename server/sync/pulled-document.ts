/**
 * Pulled rows become documents by the collection's schema. A puller's SQL names each column as
 * the schema names its field (`p.first_name AS "firstName"`), so a row is the document: no row
 * type, column list and `toDocument` written beside the schema. A row the user may not see (or a
 * deleted one) becomes its tombstone, ids only (tombstone.ts).
 */
import type { Queryable, SqlParam } from '../db/store.ts';
import { primaryField, tombstones, type JsonSchema } from './tombstone.ts';

interface DocumentSchema extends JsonSchema {
  title: string;
  properties: Readonly<Record<string, JsonSchema>>;
}

/** A puller's row: the document's fields, whether the user sees it, and its order key (pager.ts). */
export type PulledRow<Doc> = Doc & { visible: boolean; eff_seq: number | string };

export type Pulled<Doc> = Doc & { _deleted: boolean };

/**
 * Builds this collection's documents from rows, made once per schema. A visible row missing a
 * field of the schema is a defect of the puller's SQL and throws (every pull test would fail),
 * rather than sending a document the device's validation refuses.
 */
export function documentsFrom<Doc extends object>(schema: DocumentSchema): (row: PulledRow<Doc>) => Pulled<Doc> {
  const fields = Object.keys(schema.properties);
  const tombstone = tombstones<Doc>(schema);
  const key = primaryField(schema);
  return (row) => {
    const source = row as Record<string, unknown>;
    if (!row.visible) return tombstone(String(source[key]));
    const document: Record<string, unknown> = { _deleted: false };
    for (const field of fields) {
      const value = source[field];
      if (value === undefined) throw new Error(`the ${schema.title} pull sent no ${field}`);
      document[field] = value;
    }
    return document as Pulled<Doc>;
  };
}

/**
 * The store as a puller reads it: each statement's rows arrive as one JSON text the database
 * builds (`json_agg`), parsed once, instead of field by field by the driver, which on PGlite cost
 * more than the statement for a large page (a guardian's assignments: 34 ms as rows, 12 ms as
 * JSON). Pullers already name their columns with JSON's own types (dates and instants as text,
 * numbers as float8), so a row reads the same either way; the rows keep the statement's order.
 */
export function pulledAsJson(db: Queryable): Queryable {
  // One per store, so that what pulls side by side share (pager.ts, pullBase) is found by it.
  let asJson = readers.get(db);
  if (!asJson) {
    asJson = {
      async query<Row>(sql: string, params?: readonly SqlParam[]): Promise<Row[]> {
        if (!/^\s*(SELECT|WITH)\b/i.test(sql)) return db.query<Row>(sql, params);
        const [result] = await db.query<{ rows: string }>(`SELECT coalesce(json_agg(r), '[]')::text AS rows FROM (${sql}\n) r`, params);
        return JSON.parse(result!.rows) as Row[];
      },
      exec: (sql) => db.exec(sql),
    };
    readers.set(db, asJson);
  }
  return asJson;
}

const readers = new WeakMap<Queryable, Queryable>();
