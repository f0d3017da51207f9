/** A collection's documents as plain objects, for the views' pure selection functions. */
import { map, type Observable } from 'rxjs';
import type { RxDocument } from 'rxdb';

/** Documents already read (an RxController's value) as plain objects; none before the first read. */
export function plainArray<Doc>(documents: ReadonlyArray<{ toJSON(): unknown }> | undefined): Doc[] {
  return (documents ?? []).map((document) => document.toJSON() as Doc);
}

export function plainDocuments<Doc>(query: Observable<Array<RxDocument<Doc>>>): Observable<Doc[]> {
  return query.pipe(map((documents) => documents.map((document) => document.toJSON() as Doc)));
}
