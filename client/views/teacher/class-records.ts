import type { ReactiveControllerHost } from 'lit';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { RxController } from '../../data/rx-controller.ts';
import { rosterOf, type RosterEntry } from './roster.ts';

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
  return {
    sections,
    students,
    grades,
    scores,
    marks,
    /** The class with this id, if the device has it. */
    section(id: string | null): SectionDocument | undefined {
      return (sections.value ?? []).find((candidate) => candidate.id === id);
    },
    roster(section: SectionDocument): RosterEntry[] {
      return rosterOf(section, { students: students.value ?? [], grades: grades.value ?? [], scores: scores.value ?? [], attendance: marks.value ?? [] });
    },
  };
}
