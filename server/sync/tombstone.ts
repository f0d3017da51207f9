/**
 * Tombstones keep ids only. A device that loses a document (a revoked grant, a record that
 * left its user's scope, a refused write it could not read) receives the document's id and,
 * for every other field, the most neutral value its schema allows: null where null is
 * allowed, else an empty string, the first enum value, the smallest number, false, an empty
 * list. No date, name, place or time of the child travels in a tombstone.
 *
 * Built from the collection's JSON schema (server/contract/sync/), so a field added to a
 * schema is blank in its tombstones without anyone writing it a second time.
 */
import { isUuid } from '../domain/ids.ts';

export interface JsonSchema {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  minimum?: number;
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  /** A field, or RxDB's composite key: `key` holds the `fields` joined by `separator`. */
  primaryKey?: string | CompositeKey;
}

export interface CompositeKey {
  key: string;
  fields: readonly string[];
  separator: string;
}

/** The field that holds a document's primary key. */
export function primaryField(schema: JsonSchema): string {
  const key = schema.primaryKey ?? 'id';
  return typeof key === 'string' ? key : key.key;
}

function types(schema: JsonSchema): readonly string[] {
  if (schema.type === undefined) return ['null'];
  return typeof schema.type === 'string' ? [schema.type] : schema.type;
}

/** The most neutral value a property schema accepts. */
export function neutralValue(schema: JsonSchema): unknown {
  const allowed = types(schema);
  if (allowed.includes('null')) return null;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  switch (allowed[0]) {
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return Math.max(0, schema.minimum ?? 0);
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, neutralValue(schema.properties?.[key] ?? {})]));
    default:
      return null;
  }
}

/** The key's own fields, as a composite key `id` names them (none for a plain key). */
function keyFields(schema: JsonSchema, id: string): Record<string, string> {
  const key = schema.primaryKey;
  if (typeof key !== 'object') return {};
  const parts = id.split(key.separator);
  return Object.fromEntries(key.fields.map((field, i) => [field, parts[i] ?? '']));
}

/**
 * A builder of this collection's tombstones, made once per schema: a deleted document holding only
 * its id (and, for a composite key, the ids it is made of).
 */
export function tombstones<Doc>(schema: JsonSchema): (id: string) => Doc & { _deleted: true } {
  const key = primaryField(schema);
  const blank = { ...(neutralValue({ ...schema, type: 'object' }) as object), ...keyFields(schema, ''), [key]: '', _deleted: true };
  return (id) => ({ ...structuredClone(blank), ...keyFields(schema, id), [key]: id }) as Doc & { _deleted: true };
}

/**
 * The tombstone a refused push comes back as when the user may not read what is stored (or
 * nothing is): under the id the pushed document names, so the device drops its copy. Null when
 * it names no UUID: nothing the device could match the answer to.
 */
export function refusedTombstone<Doc>(build: (id: string) => Doc & { _deleted: true }, pushed: unknown): (Doc & { _deleted: true }) | null {
  const id = typeof pushed === 'object' && pushed !== null ? (pushed as { id?: unknown }).id : undefined;
  return isUuid(id) ? build(id) : null;
}
