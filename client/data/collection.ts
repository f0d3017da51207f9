/**
 * What the device needs to know about one synced collection: its schema (the server's, from
 * server/contract/sync/<name>.ts, so both sides validate alike), how stored documents of an
 * older schema version become the current one, and whether the device writes it too. A
 * collection the device writes needs its own conflict handler: RxDB's default keeps the
 * server's version and silently drops the edit made offline.
 */
import type { MigrationStrategy, RxConflictHandler, RxJsonSchema } from 'rxdb';

/**
 * How a stored document of an older schema version becomes the next version's: key `n` turns
 * a version n-1 document into a version n one. Version n needs keys 1…n.
 */
export type MigrationStrategies<Doc> = Record<number, MigrationStrategy<Doc>>;

interface CollectionBase<Doc> {
  schema: RxJsonSchema<Doc>;
  migrationStrategies: MigrationStrategies<Doc>;
}

/** Only the server writes it: the device pulls. */
export interface PulledCollection<Doc> extends CollectionBase<Doc> {
  pushable: false;
}

/** The device writes it too: local changes go to `POST /api/sync/<name>/push`. */
export interface PushedCollection<Doc> extends CollectionBase<Doc> {
  pushable: true;
  conflictHandler: RxConflictHandler<Doc>;
}

export type SyncedCollection<Doc> = PulledCollection<Doc> | PushedCollection<Doc>;

/** A definition of any document type (documents are invariant in RxDB's types, so `unknown` will not do). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySyncedCollection = SyncedCollection<any>;

/** The document type a definition holds. */
export type DocumentOf<Definition> = Definition extends SyncedCollection<infer Doc> ? Doc : never;

/**
 * A server contract's schema is a plain `as const` object, typed for JSON Schema rather than
 * for RxDB: the one cast between the two lives here.
 */
function rxSchema<Doc>(schema: object): RxJsonSchema<Doc> {
  return schema as unknown as RxJsonSchema<Doc>;
}

export function pulledCollection<Doc>(schema: object, migrationStrategies: MigrationStrategies<Doc> = {}): PulledCollection<Doc> {
  return { schema: rxSchema<Doc>(schema), migrationStrategies, pushable: false };
}

export function pushedCollection<Doc>(schema: object, conflictHandler: RxConflictHandler<Doc>, migrationStrategies: MigrationStrategies<Doc> = {}): PushedCollection<Doc> {
  return { schema: rxSchema<Doc>(schema), migrationStrategies, pushable: true, conflictHandler };
}
