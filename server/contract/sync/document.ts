/**
 * A synced collection's document type is derived from its JSON schema:
 * `export type XDocument = DocumentOf<FromSchema<typeof xSchema>>`. The schema in this folder is
 * the one place a field is described (RxDB's collection on the device, the server's push check
 * in server/sync/pushed-document.ts, tombstones, and the type all come from it).
 *
 * Where the schema stores text that the code reads as one of a few words, `Narrowed` names
 * them, since the schema itself cannot change without a new version (RxDB hashes it):
 * `syncError` always reads as a refusal code (server/contract/sync/refusals.ts).
 */
import type { SyncRefusal } from './refusals.ts';

export type { FromSchema } from 'json-schema-to-ts';

type Flat<T> = { [K in keyof T]: T[K] } & {};

type WithRefusal<T> = 'syncError' extends keyof T ? Omit<T, 'syncError'> & { syncError: SyncRefusal | null } : T;

export type DocumentOf<FromTheSchema, Narrowed extends object = object> = Flat<Omit<WithRefusal<FromTheSchema>, keyof Narrowed> & Narrowed>;
