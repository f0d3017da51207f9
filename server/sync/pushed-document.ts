/**
 * The one check of a pushed document's shape, built from its collection's schema
 * (server/contract/sync/): the schema itself, compiled by ajv as RxDB checks it on the device,
 * then what the schema's field names promise and an RxDB schema cannot say without changing
 * its hash (and so every device's storage):
 * - `id` and every `…Id` field hold a UUID, every `…Ids` field a list of them;
 * - `date` and every `…Date` or `…On` field a real calendar day (`2026-02-30` is not one);
 * - every `…At` field an instant in UTC (`2026-11-24T15:00:00Z`, milliseconds allowed);
 * - no text holds NUL, which PostgreSQL's text cannot store (it would fail the whole batch).
 * A collection adds only the rules its schema cannot express (`refine`): a score's hundredths,
 * an absence note's payload agreeing with its kind.
 */
import { getValidator } from 'rxdb/plugins/validate-ajv';
import { isIsoDate } from '../domain/dates.ts';
import { UUID } from '../domain/ids.ts';

export type PushedDocument<Doc> = Doc & { _deleted: boolean };

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

/** What a text field named `key` must hold, by the naming rules above. */
function textRule(key: string): ((text: string) => boolean) | undefined {
  if (key === 'id' || key.endsWith('Id')) return (text) => UUID.test(text);
  if (key === 'date' || key.endsWith('Date') || key.endsWith('On')) return isIsoDate;
  if (key.endsWith('At')) return isInstant;
  return undefined;
}

/** Every value under `key` (recursively, through objects and lists) keeps its name's promise. */
function keepsNamePromises(value: unknown, key: string): boolean {
  if (typeof value === 'string') return !value.includes('\u0000') && (textRule(key)?.(value) ?? true);
  // A list's items answer to the singular name: `sectionIds` holds `sectionId`s.
  if (Array.isArray(value)) return value.every((item) => keepsNamePromises(item, key.endsWith('Ids') ? key.slice(0, -1) : ''));
  if (typeof value === 'object' && value !== null) return Object.entries(value).every(([name, item]) => keepsNamePromises(item, name));
  return true;
}

/**
 * A type guard for pushed documents of the collection `schema` describes: a plain object with a
 * boolean `_deleted`, valid against the schema, keeping the naming rules, and passing `refine`.
 */
export function pushedDocumentCheck<Doc>(schema: object, refine: (doc: Doc) => boolean = () => true): (doc: unknown) => doc is PushedDocument<Doc> {
  const validate = getValidator(schema as never);
  return (doc: unknown): doc is PushedDocument<Doc> => {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
    // RxDB's own storage fields, should a device send them, are not the document's.
    const { _deleted, _meta, _rev, _attachments, ...data } = doc as Record<string, unknown>;
    void _meta, void _rev, void _attachments;
    return typeof _deleted === 'boolean' && validate(data).length === 0 && keepsNamePromises(data, '') && refine(data as Doc);
  };
}
