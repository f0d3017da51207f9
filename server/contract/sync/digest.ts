/**
 * Whether a device holds its scope: a count and an order-independent checksum of the live
 * documents of one collection, computed the same way on the server (from what a pull from the
 * start would send the user) and on the device (from its IndexedDB copy). Isomorphic.
 *
 * The checksum covers each document's content, not only its id and seq: a device never learns a
 * document's seq, and a copy altered in place keeps its id. Each document hashes `id` + its
 * canonical JSON (keys sorted, null and absent alike, RxDB's own fields and the device-only
 * `syncError` left out) with 32-bit FNV-1a; the collection's checksum is their sum modulo 2^32,
 * so order does not matter and a missing, extra or changed document changes it.
 */

/** What the server answers to `GET /api/sync/<collection>/check`. */
export interface CollectionDigest {
  count: number;
  /** Eight hex digits. */
  checksum: string;
}

/** What a device reports after repairing its copy (`POST /api/sync/<collection>/repaired`). */
export interface RepairReport {
  /** Documents the server has and the device had lost. */
  missing: number;
  /** Documents whose content differed from the server's. */
  changed: number;
  /** Documents the device held that are not (or no longer) in its scope. */
  extra: number;
}

/** Fields that are not the document's content: RxDB's bookkeeping, and the device's copy of a refusal. */
const NOT_CONTENT = new Set(['_deleted', '_meta', '_rev', '_attachments', 'syncError']);

function canonical(value: unknown, top: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item, false)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((key) => !(top && NOT_CONTENT.has(key)))
      .sort()
      .flatMap((key) => {
        const field = (value as Record<string, unknown>)[key];
        return field === null || field === undefined ? [] : [`${JSON.stringify(key)}:${canonical(field, false)}`];
      });
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 32-bit FNV-1a over UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** One document's hash. */
export function documentHash(doc: { id: string }): number {
  return fnv1a(`${doc.id}\n${canonical(doc, true)}`);
}

/** A digest taken a document at a time (a device adds its copy a page at a time). */
export class DigestSum {
  private count = 0;
  private sum = 0;

  /** Adds a document; deleted ones are skipped. */
  add(doc: { id: string; _deleted?: boolean }): void {
    if (doc._deleted) return;
    this.count += 1;
    this.sum = (this.sum + documentHash(doc)) >>> 0;
  }

  result(): CollectionDigest {
    return { count: this.count, checksum: this.sum.toString(16).padStart(8, '0') };
  }
}

/** The digest of a collection's live documents (deleted ones are skipped). */
export function collectionDigest(docs: Iterable<{ id: string; _deleted?: boolean }>): CollectionDigest {
  const digest = new DigestSum();
  for (const doc of docs) digest.add(doc);
  return digest.result();
}
