/**
 * The compact wire form of pulled documents (issue 12: a first sync at most half of
 * pouchdb-server's bytes). A device asks for it (`wire=compact`, paging.ts); the server sends it
 * for the collections that declare it (server/sync/registry.ts) and the device turns every pulled
 * document back into the one its schema describes (`documentFromWire`, the replication's pull
 * modifier), so what the device stores does not change. A pull without the parameter gets the
 * documents as they are, so a device running older code reads what it always read.
 *
 * What the compact form leaves out or shortens, all of it restored from the schema alone:
 * - a required field holding its blank value (null where the schema allows null, else false, an
 *   empty string or zero): a score not marked late, an assignment without a description;
 * - a composite primary key (scores' `assignmentId|studentId`), which RxDB composes;
 * - the UUIDs of `id` and `…Id` fields, sent as 22 base64url characters instead of 36 hex
 *   digits and dashes: brotli at quality 5 codes a hex UUID in about 21–22 bytes and the same 16
 *   bytes in base64url in about 17, and ids are most of what a family's first sync carries.
 */

interface PropertySchema {
  type?: string | readonly string[];
  minimum?: number;
}

interface CollectionSchema {
  primaryKey: string | { key: string; fields: readonly string[]; separator: string };
  properties: Readonly<Record<string, PropertySchema>>;
  required?: readonly string[];
}

type Wired = Record<string, unknown>;

/** A lower-case UUID, as the server writes them; only these are shortened. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHORT_UUID = /^[A-Za-z0-9_-]{22}$/;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Each base64url character's value, and each hex digit's, by character code (-1: neither). */
const DIGIT = new Int8Array(128).fill(-1);
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i += 1) DIGIT[BASE64URL.charCodeAt(i)] = i;
for (let i = 0; i < 16; i += 1) NIBBLE[i.toString(16).charCodeAt(0)] = i;
/** Each byte in two hex digits. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * The 128 bits of a UUID in 22 base64url characters: its 16 bytes in base64url without padding
 * (each 3 hex digits become 2 characters, the last 2 digits 2 more). A device turns back every id
 * of a first sync, thousands, so both ways read tables, not `parseInt` and `indexOf`.
 */
export function shortUuid(uuid: string): string {
  let short = '';
  let bits = 0;
  let digits = 0;
  for (let i = 0; i < uuid.length; i += 1) {
    const code = uuid.charCodeAt(i);
    if (code === 45) continue;
    bits = (bits << 4) | NIBBLE[code]!;
    digits += 1;
    if (digits === 3) {
      short += BASE64URL[bits >> 6]! + BASE64URL[bits & 63]!;
      bits = 0;
      digits = 0;
    }
  }
  return short + BASE64URL[bits >> 2]! + BASE64URL[(bits & 3) << 4]!;
}

/** The UUID `shortUuid` shortened. */
export function longUuid(short: string): string {
  const b = new Array<string>(16);
  for (let i = 0, at = 0; i < 20; i += 4, at += 3) {
    const bits = (DIGIT[short.charCodeAt(i)]! << 18) | (DIGIT[short.charCodeAt(i + 1)]! << 12) | (DIGIT[short.charCodeAt(i + 2)]! << 6) | DIGIT[short.charCodeAt(i + 3)]!;
    b[at] = HEX[bits >> 16]!;
    b[at + 1] = HEX[(bits >> 8) & 255]!;
    b[at + 2] = HEX[bits & 255]!;
  }
  b[15] = HEX[(DIGIT[short.charCodeAt(20)]! << 2) | (DIGIT[short.charCodeAt(21)]! >> 4)]!;
  return `${b[0]}${b[1]}${b[2]}${b[3]}-${b[4]}${b[5]}-${b[6]}${b[7]}-${b[8]}${b[9]}-${b[10]}${b[11]}${b[12]}${b[13]}${b[14]}${b[15]}`;
}

/** Fields that hold one UUID by their name (as server/sync/pushed-document.ts reads them). */
function holdsUuid(field: string): boolean {
  return field === 'id' || field.endsWith('Id');
}

const NO_BLANK = Symbol('no blank');

/** The value a compact document leaves out of this field, or NO_BLANK for fields always sent. */
function blankOf(schema: PropertySchema): unknown {
  const types = typeof schema.type === 'string' ? [schema.type] : (schema.type ?? []);
  if (types.includes('null')) return null;
  switch (types[0]) {
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return (schema.minimum ?? 0) <= 0 ? 0 : NO_BLANK;
    default:
      return NO_BLANK;
  }
}

/**
 * Each required field's blank value, but for the fields that name the document and RxDB's own
 * (`_deleted`, `_rev`…, which a collection's normalized schema adds: always sent, or the device's).
 */
function blanks(schema: CollectionSchema): Map<string, unknown> {
  const key = schema.primaryKey;
  const naming = new Set(typeof key === 'string' ? [key] : [key.key, ...key.fields]);
  const result = new Map<string, unknown>();
  for (const field of schema.required ?? []) {
    const property = schema.properties[field];
    const blank = property ? blankOf(property) : NO_BLANK;
    if (!naming.has(field) && !field.startsWith('_') && blank !== NO_BLANK) result.set(field, blank);
  }
  return result;
}

/** The server's side: a pulled document (tombstones too) in its compact form. */
export function compactDocument(schema: CollectionSchema): (doc: object) => Wired {
  const blank = blanks(schema);
  const composed = typeof schema.primaryKey === 'string' ? null : schema.primaryKey.key;
  return (doc) => {
    const wired: Wired = {};
    for (const [field, value] of Object.entries(doc)) {
      if (field === composed || (blank.has(field) && blank.get(field) === value)) continue;
      wired[field] = holdsUuid(field) && typeof value === 'string' && UUID.test(value) ? shortUuid(value) : value;
    }
    return wired;
  };
}

/**
 * The device's side: a pulled document, compact or not, as the device stores it: ids restored,
 * blanks put back, a composite key composed.
 */
export function documentFromWire(schema: CollectionSchema): <Doc extends object>(wired: Doc) => Doc {
  const blank = blanks(schema);
  const key = typeof schema.primaryKey === 'string' ? null : schema.primaryKey;
  // Every document built field by field in the schema's order: each then has the same shape, which
  // JavaScript engines read and write fast (a copy given its missing fields afterwards was most of
  // the time a device spent on a first sync's pages).
  const fields = Object.keys(schema.properties)
    .filter((field) => field !== key?.key)
    .map((field) => ({ field, id: holdsUuid(field), blank: blank.has(field) ? blank.get(field) : NO_BLANK }));
  return <Doc extends object>(wired: Doc): Doc => {
    const from = wired as Wired;
    const doc: Wired = {};
    for (const { field, id, blank: value } of fields) {
      const sent = from[field];
      if (sent === undefined && !(field in from)) {
        if (value !== NO_BLANK) doc[field] = value;
      } else doc[field] = id && typeof sent === 'string' && sent.length === 22 && SHORT_UUID.test(sent) ? longUuid(sent) : sent;
    }
    // RxDB's own fields (`_deleted`) and any the schema does not name, as sent.
    for (const field in from) if (!(field in doc) && field !== key?.key) doc[field] = from[field];
    if (key) doc[key.key] = key.fields.map((field) => doc[field]).join(key.separator);
    return doc as Doc;
  };
}
