// The parts of pouchdb-server the benchmark runs (CommonJS, no types of their own): only what
// pouch-server.ts calls.

declare module 'pouchdb-core' {
  type PouchPlugin = (pouch: PouchDBConstructor) => void;
  interface PouchDBConstructor {
    plugin(plugin: PouchPlugin): PouchDBConstructor;
    defaults(options: Record<string, unknown>): PouchDBConstructor;
  }
  const PouchDB: PouchDBConstructor;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: (pouch: unknown) => void;
  export default plugin;
}

declare module 'pouchdb-adapter-http' {
  const plugin: (pouch: unknown) => void;
  export default plugin;
}

declare module 'pouchdb-replication' {
  const plugin: (pouch: unknown) => void;
  export default plugin;
}

declare module 'pouchdb-mapreduce' {
  const plugin: (pouch: unknown) => void;
  export default plugin;
}

declare module 'express-pouchdb' {
  import type { RequestListener } from 'node:http';
  /** An Express app serving CouchDB's HTTP API over the given PouchDB constructor. */
  function expressPouchDB(
    pouch: unknown,
    options?: { mode?: 'fullCouchDB' | 'minimumForPouchDB'; inMemoryConfig?: boolean; configPath?: string; logPath?: string },
  ): RequestListener;
  export default expressPouchDB;
}
