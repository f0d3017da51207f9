/**
 * Pulled rows become documents by the collection's schema. A puller's SQL names each column as
 * the schema names its field (`p.first_name AS "firstName"`), so a row is the document: no row
 * type, column list and `toDocument` written beside the schema. A row the user may not see (or a
 * deleted one) becomes its tombstone, ids only (tombstone.ts).
 */
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
