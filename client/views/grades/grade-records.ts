import type { ReactiveControllerHost } from 'lit';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { RxController } from '../../data/rx-controller.ts';
import { SelectedStudentController } from '../../data/selected-student-controller.ts';
import { observeSyncState, type SyncStateDocument } from '../../data/sync-state.ts';
import { renderLastSynced } from '../schedule/last-synced.ts';
import { plainArray } from '../today/plain-documents.ts';

/**
 * What the grades and reports tabs read from the device: the chosen student, and the sections,
 * grades, assignments and scores (as plain objects) with when each collection last synced.
 */
export class GradeRecords {
  readonly student: SelectedStudentController;
  private readonly sectionDocuments: RxController<Array<{ toJSON(): unknown }>>;
  private readonly gradeDocuments: RxController<Array<{ toJSON(): unknown }>>;
  private readonly assignmentDocuments: RxController<Array<{ toJSON(): unknown }>>;
  private readonly scoreDocuments: RxController<Array<{ toJSON(): unknown }>>;
  private readonly synced: Array<RxController<SyncStateDocument | null>>;

  constructor(host: ReactiveControllerHost) {
    this.student = new SelectedStudentController(host);
    this.sectionDocuments = new RxController(host, (db) => db.sections.find().$);
    this.gradeDocuments = new RxController(host, (db) => db.grades.find().$);
    this.assignmentDocuments = new RxController(host, (db) => db.assignments.find().$);
    this.scoreDocuments = new RxController(host, (db) => db.scores.find().$);
    this.synced = (['sections', 'grades', 'assignments', 'scores'] as const).map((name) => new RxController(host, (db) => observeSyncState(db, name)));
  }

  /** True once the student and all four collections have been read (any may be empty). */
  get ready(): boolean {
    return this.student.ready && this.sectionDocuments.ready && this.gradeDocuments.ready && this.assignmentDocuments.ready && this.scoreDocuments.ready;
  }

  get sections(): SectionDocument[] {
    return plainArray<SectionDocument>(this.sectionDocuments.value);
  }

  get grades(): GradeDocument[] {
    return plainArray<GradeDocument>(this.gradeDocuments.value);
  }

  get assignments(): AssignmentDocument[] {
    return plainArray<AssignmentDocument>(this.assignmentDocuments.value);
  }

  get scores(): ScoreDocument[] {
    return plainArray<ScoreDocument>(this.scoreDocuments.value);
  }

  /** "Last updated …", as fresh as the stalest of the four collections. */
  renderLastSynced(language: string) {
    return renderLastSynced(this.synced.map((state) => state.value), language);
  }
}
