/**
 * Conflict handlers for the collections the device writes. RxDB calls `resolve` when the
 * server answers a push with its own state of a row (someone changed it first, or the
 * server refused the write), and `isEqual` to decide whether a local document still needs
 * pushing and whether a pulled one may overwrite it.
 *
 * The rule here: a server state carrying `syncError` is a refusal and wins, so the user sees
 * the server's record and why; otherwise the fields the device edited win over the server's
 * and every other field takes the server's value (a three-way merge against the state the
 * device started from), so an edit made offline is never silently dropped.
 */
import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { deepEqual } from 'rxdb/plugins/utils';

export interface ConflictRules<Doc> {
  /** Every field a user may change on the device: compared, and the device's change to one wins. */
  edited: ReadonlyArray<keyof Doc>;
  /** Fields that say which record a document is: compared, never merged. */
  identity?: ReadonlyArray<keyof Doc>;
  /**
   * Fields only the server fills in (when a request arrived, who sent it): compared, so the
   * server's copy replaces the device's once it has them, and always taken from the server.
   */
  serverFilled?: ReadonlyArray<keyof Doc>;
}

/** Documents of pushable collections carry the server's refusal code, null when none. */
interface Refusable {
  syncError: string | null;
}

export function deviceEditsWin<Doc extends Refusable>(rules: ConflictRules<Doc>): RxConflictHandler<Doc> {
  const compared = [...(rules.identity ?? []), ...rules.edited, ...(rules.serverFilled ?? [])];
  return {
    // `syncError` is left out on purpose: it is the server's note, not content, so a refused
    // document equals the server's record and is not pushed again.
    isEqual(a, b) {
      return a._deleted === b._deleted && compared.every((field) => deepEqual(a[field], b[field]));
    },
    async resolve({ assumedMasterState: assumed, realMasterState: master, newDocumentState: device }) {
      if (master.syncError !== null && master.syncError !== undefined) return master;
      const resolved: WithDeleted<Doc> = { ...master };
      let editedHere = false;
      for (const field of rules.edited) {
        if (assumed && deepEqual(device[field], assumed[field])) continue;
        resolved[field] = device[field];
        editedHere = true;
      }
      const deletedHere = assumed ? device._deleted !== assumed._deleted : device._deleted;
      // Removed on the device: removed. Edited on the device but removed elsewhere: the edit
      // brings the record back, rather than vanishing without a word.
      if (deletedHere) resolved._deleted = device._deleted;
      else if (editedHere) resolved._deleted = false;
      return resolved;
    },
  };
}
