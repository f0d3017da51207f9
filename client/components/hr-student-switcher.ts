import { LitElement, css, html, nothing } from 'lit';
import { I18nController } from '../app/i18n-controller.ts';
import { t } from '../app/i18n.ts';
import { baseStyles } from '../app/shared-styles.ts';
import { labelledSelectStyles } from './labelled-select.styles.ts';
import { RxController } from '../data/rx-controller.ts';
import { selectStudent, selectedStudentId, subscribeSelectedStudent } from '../data/selected-student.ts';
import { observeStudents, studentDisplayName, type StudentDocument } from '../data/students.ts';

/** "Kindergarten", "Grade 3": grade levels as schools say them (-1 is pre-kindergarten). */
export function gradeLabel(level: number): string {
  if (level < 0) return t('portal:grade.preK');
  if (level === 0) return t('portal:grade.k');
  return t('portal:grade.numbered', { grade: level });
}

/**
 * @summary Chooses which student the portal shows, for guardians with several children: each
 * child's name, grade and school. With one student it only names them. Fires
 * `hr-student-change` with `{ studentId }`; the choice is shared by every tab.
 */
export class HrStudentSwitcher extends LitElement {
  static override styles = [
    baseStyles,
    labelledSelectStyles,
    css`
      :host {
        display: block;
      }
      .only {
        margin: 0;
        font-weight: 600;
      }
      .detail {
        font-weight: 400;
        color: var(--hr-color-ink-muted);
      }
    `,
  ];

  private readonly i18n = new I18nController(this);
  private readonly students = new RxController(this, observeStudents);
  private selected: string | undefined;
  private unsubscribe?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = subscribeSelectedStudent((id) => {
      this.selected = id;
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private onChange(event: Event): void {
    const studentId = (event.target as HTMLSelectElement).value;
    selectStudent(studentId);
    this.dispatchEvent(new CustomEvent('hr-student-change', { detail: { studentId }, bubbles: true, composed: true }));
  }

  private describe(student: StudentDocument): string {
    return `${gradeLabel(student.gradeLevel)} · ${student.schoolName}`;
  }

  override render() {
    void this.i18n;
    const students = (this.students.value ?? []).map((doc) => doc.toJSON() as StudentDocument);
    if (students.length === 0) return nothing;
    const current = selectedStudentId(students.map((s) => s.id));
    if (students.length === 1) {
      const [only] = students as [StudentDocument];
      return html`<p class="only">${studentDisplayName(only)} <span class="detail">· ${this.describe(only)}</span></p>`;
    }
    return html`
      <label for="student">${t('portal:switcher.label')}</label>
      <select id="student" @change=${this.onChange}>
        ${students.map((s) => html`<option value=${s.id} ?selected=${s.id === current}>${studentDisplayName(s)} · ${this.describe(s)}</option>`)}
      </select>
    `;
  }
}

customElements.define('hr-student-switcher', HrStudentSwitcher);

declare global {
  interface HTMLElementTagNameMap {
    'hr-student-switcher': HrStudentSwitcher;
  }
}
