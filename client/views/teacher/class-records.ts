import type { ReactiveControllerHost } from 'lit';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { RxController } from '../../data/rx-controller.ts';
import { observeSyncState, readSyncState, type SyncStateDocument } from '../../data/sync-state.ts';
import { rosterOf, type RosterEntry } from './roster.ts';

/** The collections a roster and its flags come from. */
export const rosterCollections = ['sections', 'students', 'attendance', 'scores'] as const;
export type RosterCollection = (typeof rosterCollections)[number];

/**
 * Whether a class screen's records are all on hand: each query has answered, and each
 * collection has synced once on this device. Until then an empty roster or a zero is a guess
 * (the records are still being read or have not arrived), so the screen says it is loading.
 */
export function recordsLoaded(queries: ReadonlyArray<RxController<unknown>>, synced: ReadonlyArray<RxController<SyncStateDocument | null>>): boolean {
  return queries.every((query) => query.ready) && synced.every((state) => state.ready && readSyncState(state.value).lastSyncedAt !== null);
}

/**
 * What a teacher's class screens (attendance, gradebook, message) read from the device: the
 * sections, the teacher's students, their grades, scores and attendance marks; and from them a
 * class and its roster.
 */
export function classRecords(host: ReactiveControllerHost) {
  const sections = new RxController(host, (db) => db.sections.find().$);
  const students = new RxController(host, (db) => db.students.find({ selector: { relation: 'teacher' } }).$);
  const grades = new RxController(host, (db) => db.grades.find().$);
  const scores = new RxController(host, (db) => db.scores.find().$);
  const marks = new RxController(host, (db) => db.attendance.find().$);
  const synced = new Map(rosterCollections.map((name) => [name, new RxController(host, (db) => observeSyncState(db, name))]));
  // The class's term grades go with its scores (the gradebook reads both).
  const queries: Record<RosterCollection, ReadonlyArray<RxController<unknown>>> = { sections: [sections], students: [students], attendance: [marks], scores: [scores, grades] };
  return {
    sections,
    students,
    grades,
    scores,
    marks,
    /**
     * True once what the screen shows from `collections` can be read as it is (see `recordsLoaded`):
     * taking attendance need not wait for a new device's scores.
     */
    loaded(collections: readonly RosterCollection[] = rosterCollections): boolean {
      return recordsLoaded(
        collections.flatMap((name) => queries[name]),
        collections.map((name) => synced.get(name)!),
      );
    },
    /** The class with this id, if the device has it. */
    section(id: string | null): SectionDocument | undefined {
      return (sections.value ?? []).find((candidate) => candidate.id === id);
    },
    roster(section: SectionDocument): RosterEntry[] {
      return rosterOf(section, { students: students.value ?? [], grades: grades.value ?? [], scores: scores.value ?? [], attendance: marks.value ?? [] });
    },
  };
}
