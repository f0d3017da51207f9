/**
 * How the server's tests add a contract schema to an RxDB device: a fresh device has nothing
 * to migrate, but RxDB wants a strategy for each version above 0 (identity here) and would
 * otherwise look for the migration plugin.
 */
export function freshCollection<Schema extends { version: number }>(schema: Schema) {
  const migrationStrategies = Object.fromEntries(Array.from({ length: schema.version }, (_, index) => [index + 1, (document: unknown) => document]));
  return { schema, migrationStrategies, autoMigrate: false };
}
