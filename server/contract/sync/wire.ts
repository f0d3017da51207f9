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

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Each base64url character's value, and each lower-case hex digit's, by character code (-1: neither). */
const DIGIT = new Int8Array(128).fill(-1);
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i += 1) DIGIT[BASE64URL.charCodeAt(i)] = i;
for (let i = 0; i < 16; i += 1) NIBBLE[i.toString(16).charCodeAt(0)] = i;
/** Each 12 bits in two base64url characters, and each byte in two hex digits. */
const PAIR = Array.from({ length: 4096 }, (_, bits) => BASE64URL[bits >> 6]! + BASE64URL[bits & 63]!);
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * The 128 bits of a lower-case UUID in 22 base64url characters: its 16 bytes in base64url without
 * padding (each 3 hex digits become 2 characters, the last 2 digits 2 more); null for any other
 * text. A first sync shortens and restores thousands of ids, so both ways read tables and check
 * the text as they go, with no regular expression, `parseInt` or `indexOf`.
 */
function shortened(uuid: string): string | null {
  if (uuid.length !== 36) return null;
  let short = '';
  let bits = 0;
  let digits = 0;
  for (let i = 0; i < 36; i += 1) {
    const code = uuid.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return null;
      continue;
    }
    const nibble = code < 128 ? NIBBLE[code]! : -1;
    if (nibble < 0) return null;
    bits = (bits << 4) | nibble;
    digits += 1;
    if (digits === 3) {
      short += PAIR[bits]!;
      bits = 0;
      digits = 0;
    }
  }
  return short + BASE64URL[bits >> 2]! + BASE64URL[(bits & 3) << 4]!;
}

/** The UUID in 22 base64url characters (text that is no lower-case UUID is refused). */
export function shortUuid(uuid: string): string {
  const short = shortened(uuid);
  if (short === null) throw new Error(`not a lower-case UUID: ${uuid}`);
  return short;
}

/** The base64url character at `at`'s value, or -1 when it is not one. */
function digitAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? DIGIT[code]! : -1;
}

/** Four base64url characters' 24 bits, or -1 when any is not one. */
function quad(text: string, at: number): number {
  const a = digitAt(text, at);
  const b = digitAt(text, at + 1);
  const c = digitAt(text, at + 2);
  const d = digitAt(text, at + 3);
  return (a | b | c | d) < 0 ? -1 : (a << 18) | (b << 12) | (c << 6) | d;
}

/** The UUID `shortUuid` shortened, or null for text that is not 22 base64url characters of one. */
function restored(short: string): string | null {
  if (short.length !== 22) return null;
  const b = new Array<string>(16);
  for (let i = 0, at = 0; i < 20; i += 4, at += 3) {
    const bits = quad(short, i);
    if (bits < 0) return null;
    b[at] = HEX[bits >> 16]!;
    b[at + 1] = HEX[(bits >> 8) & 255]!;
    b[at + 2] = HEX[bits & 255]!;
  }
  // The last byte: 6 bits and 2, the second character's 4 low bits unused (zero in a shortened UUID).
  const high = digitAt(short, 20);
  const low = digitAt(short, 21);
  if (high < 0 || low < 0 || (low & 15) !== 0) return null;
  b[15] = HEX[(high << 2) | (low >> 4)]!;
  return `${b[0]}${b[1]}${b[2]}${b[3]}-${b[4]}${b[5]}-${b[6]}${b[7]}-${b[8]}${b[9]}-${b[10]}${b[11]}${b[12]}${b[13]}${b[14]}${b[15]}`;
}

/** The UUID `shortUuid` shortened. */
export function longUuid(short: string): string {
  const uuid = restored(short);
  if (uuid === null) throw new Error(`not a shortened UUID: ${short}`);
  return uuid;
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

/**
 * Each field of the schema in its order, but the composed key and RxDB's own (`_rev`, `_meta`…,
 * which a normalized schema adds), with whether it holds an id and its blank. Both sides walk this
 * list rather than a document's own keys: every document they build has the same shape, which
 * JavaScript engines read and write fast, and no `Object.entries` or map is read per field.
 */
function fieldsOf(schema: CollectionSchema): Array<{ field: string; id: boolean; blank: unknown }> {
  const blank = blanks(schema);
  const composed = typeof schema.primaryKey === 'string' ? null : schema.primaryKey.key;
  return Object.keys(schema.properties)
    .filter((field) => field !== composed && !field.startsWith('_'))
    .map((field) => ({ field, id: holdsUuid(field), blank: blank.has(field) ? blank.get(field) : NO_BLANK }));
}

/** The server's side: a pulled document (tombstones too) in its compact form. */
export function compactDocument(schema: CollectionSchema): (doc: object) => Wired {
  const fields = fieldsOf(schema);
  const named = new Set(fields.map(({ field }) => field));
  const composed = typeof schema.primaryKey === 'string' ? null : schema.primaryKey.key;
  // A frozen document (server/sync/assignments.ts: kept work, shared by every page that sends it) is
  // made compact once, and its compact form frozen too, since every answer that sends it shares it.
  const made = new WeakMap<object, Wired>();
  return (doc) => {
    const frozen = Object.isFrozen(doc);
    const known = frozen ? made.get(doc) : undefined;
    if (known) return known;
    const from = doc as Wired;
    const wired: Wired = {};
    let read = 0;
    if (from._deleted !== undefined) (wired._deleted = from._deleted), (read += 1);
    for (let i = 0; i < fields.length; i += 1) {
      const { field, id, blank } = fields[i]!;
      const value = from[field];
      if (value === undefined) continue;
      read += 1;
      if (value === blank) continue;
      wired[field] = id && typeof value === 'string' ? (shortened(value) ?? value) : value;
    }
    if (composed !== null && from[composed] !== undefined) read += 1;
    // Fields the schema does not name (none, from a puller), as they are.
    if (Object.keys(from).length !== read) for (const field in from) if (field !== composed && field !== '_deleted' && !named.has(field)) wired[field] = from[field];
    if (frozen) made.set(doc, Object.freeze(wired));
    return wired;
  };
}

/**
 * The device's side: a pulled document, compact or not, as the device stores it: ids restored,
 * blanks put back, a composite key composed.
 */
export function documentFromWire(schema: CollectionSchema): <Doc extends object>(wired: Doc) => Doc {
  const fields = fieldsOf(schema);
  const key = typeof schema.primaryKey === 'string' ? null : schema.primaryKey;
  return <Doc extends object>(wired: Doc): Doc => {
    const from = wired as Wired;
    const doc: Wired = {};
    let read = 0;
    for (let i = 0; i < fields.length; i += 1) {
      const { field, id, blank } = fields[i]!;
      const sent = from[field];
      if (sent === undefined) {
        if (field in from) (doc[field] = sent), (read += 1);
        else if (blank !== NO_BLANK) doc[field] = blank;
        continue;
      }
      read += 1;
      doc[field] = id && typeof sent === 'string' ? (restored(sent) ?? sent) : sent;
    }
    if (from._deleted !== undefined) (doc._deleted = from._deleted), (read += 1);
    if (key && from[key.key] !== undefined) read += 1;
    // RxDB's other fields and any the schema does not name, as sent.
    if (Object.keys(from).length !== read) for (const field in from) if (!(field in doc) && field !== key?.key) doc[field] = from[field];
    if (key) doc[key.key] = key.fields.map((field) => doc[field]).join(key.separator);
    return doc as Doc;
  };
}
