/**
 * The student a per-student portal tab shows: the device's students (RxDB) and the choice shared
 * by every tab (selected-student.ts), combined so a view re-renders when either changes.
 *
 *   private readonly student = new SelectedStudentController(this);
 *   render() { const student = this.student.value; … }
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { RxController } from './rx-controller.ts';
import { selectedStudentId, subscribeSelectedStudent } from './selected-student.ts';
import { observeStudents, type StudentDocument } from './students.ts';

export class SelectedStudentController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly students: RxController<Array<{ toJSON(): unknown }>>;
  private unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    this.students = new RxController(host, observeStudents);
    host.addController(this);
  }

  /** True once the device's students have been read (there may be none). */
  get ready(): boolean {
    return this.students.ready;
  }

  /** The chosen student, or the first one when the choice is not one of the user's. */
  get value(): StudentDocument | undefined {
    const students = (this.students.value ?? []).map((doc) => doc.toJSON() as StudentDocument);
    const id = selectedStudentId(students.map((student) => student.id));
    return students.find((student) => student.id === id);
  }

  hostConnected(): void {
    this.unsubscribe = subscribeSelectedStudent(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
