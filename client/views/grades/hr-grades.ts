import { LitElement, css, html, nothing } from 'lit';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { CardTableController } from '../../components/card-table.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { baseStyles } from '../../app/shared-styles.ts';
import '../../components/hr-student-switcher.ts';
import { formatList, formatNumber } from '../../lib/format.ts';
import { portalPageStyles } from '../schedule/portal-page.styles.ts';
import { localIsoDate, sectionsInTerm, sectionsOfStudent, termsOf } from '../schedule/schedule-terms.ts';
import { renderTermField } from '../schedule/term-picker.ts';
import { calendarDate, formatPercent, scoreFlags, sectionGradebook, type AssignmentRow, type GradingPeriodGrades, type ScoreFlag } from './gradebook.ts';
import { GradeRecords } from './grade-records.ts';
import { districtWord } from '../../data/district-words.ts';

export { formatPercent } from './gradebook.ts';

/** Flags that ask the family to act, shown as warnings. */
const WARNING_FLAGS: ReadonlySet<ScoreFlag> = new Set(['missing', 'late', 'incomplete']);


/**
 * @summary The Grades tab: for each class of the chosen student in a term, the in-progress
 * or posted grade of each grading period (percent and mark, or standards levels 1–4 for
 * elementary classes); opening it lists every assignment with score, points, category, due
 * date, flags and the teacher's comment, and says in words how the grade is calculated.
 * Read from the device's copy, so it works offline.
 */
export class HrGrades extends LitElement {
  static override styles = [
    baseStyles,
    portalPageStyles,
    css`
      .course-meta {
        margin: calc(-1 * var(--hr-space-2)) 0 var(--hr-space-3);
        color: var(--hr-color-ink-muted);
      }
      .grading-period {
        padding-top: var(--hr-space-3);
        border-top: 1px solid var(--hr-color-border);
      }
      .grading-period + .grading-period {
        margin-top: var(--hr-space-4);
      }
      h3 {
        margin: 0;
        font-size: var(--hr-font-size-base, 1rem);
      }
      .range {
        margin: 0;
        font-size: var(--hr-font-size-small);
        color: var(--hr-color-ink-muted);
      }
      .grade {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: var(--hr-space-2);
        margin: var(--hr-space-2) 0;
      }
      .percent {
        font-size: var(--hr-font-size-large);
        font-weight: 700;
      }
      .mark {
        font-size: var(--hr-font-size-large);
        font-weight: 700;
      }
      .badge {
        display: inline-block;
        padding: 0 var(--hr-space-2);
        border: 1px solid var(--hr-color-border);
        max-width: 100%;
        border-radius: 0.75rem;
        font-size: var(--hr-font-size-small);
        overflow-wrap: break-word;
        background: var(--hr-color-surface);
      }
      .badge.warn {
        border-color: var(--hr-color-danger-border);
        background: var(--hr-color-danger-soft);
        font-weight: 600;
      }
      .badges {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-1);
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .comment {
        margin: var(--hr-space-2) 0;
      }
      details {
        margin-top: var(--hr-space-3);
      }
      summary {
        display: flex;
        align-items: center;
        min-height: var(--hr-target-size);
        cursor: pointer;
        font-weight: 600;
        color: var(--hr-color-brand);
      }
      summary:focus {
        outline: 3px solid var(--hr-color-focus);
        outline-offset: 2px;
      }
      .calculation {
        margin-top: var(--hr-space-3);
      }
      .calculation ul {
        margin: var(--hr-space-2) 0;
        padding-inline-start: var(--hr-space-5);
      }
      .calculation p {
        margin: var(--hr-space-2) 0;
      }
      td.number {
        white-space: nowrap;
      }
    `,
  ];

  static override properties = {
    termId: { state: true },
  };

  /** The term chosen in the picker; undefined shows the current term. */
  declare private termId: string | undefined;

  private readonly i18n = new I18nController(this);
  private readonly cardTables = new CardTableController(this);
  private readonly records = new GradeRecords(this);

  private onTermChange(event: Event): void {
    this.termId = (event.target as HTMLSelectElement).value;
  }

  private renderStatus(grade: GradeDocument, language: string) {
    if (grade.status === 'posted') {
      return html`<span class="badge status">${grade.postedAt ? t('grades:status.postedOn', { date: calendarDate(grade.postedAt, language) }) : t('grades:status.posted')}</span>`;
    }
    return html`<span class="badge status">${t('grades:status.inProgress')}</span>`;
  }

  private renderTermGrade(grade: GradeDocument | undefined, language: string) {
    if (!grade) return html`<p class="muted">${t('grades:grade.none')}</p>`;
    return html`
      <p class="grade">
        <span class="visually-hidden">${t('grades:grade.label')}</span>
        ${grade.percent === null ? html`<span class="muted">${t('grades:grade.none')}</span>` : html`<span class="percent">${formatPercent(grade.percent, language)}</span>`}
        ${grade.mark ? html`<span class="mark">${grade.mark}</span>` : nothing} ${this.renderStatus(grade, language)}
      </p>
      ${grade.comment ? html`<p class="comment">${t('grades:grade.teacherComment', { comment: grade.comment })}</p>` : nothing}
    `;
  }

  private renderStandards(standards: GradeDocument[], language: string, id: string, labelledBy: string) {
    const [first] = standards;
    if (!first) return nothing;
    return html`
      <p class="grade">${this.renderStatus(first, language)}</p>
      <div class="scroll" tabindex="0" role="region" aria-labelledby=${`${labelledBy} standards-${id}`}>
        <table class="standards cards">
          <caption id=${`standards-${id}`}>${t('grades:standards.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('grades:standards.standard')}</th>
              <th scope="col">${t('grades:standards.level')}</th>
              <th scope="col">${t('grades:standards.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            ${standards.map(
              (standard) => html`<tr data-standard=${standard.standardId ?? standard.id}>
                <th scope="row"><strong>${standard.standardCode}</strong> ${districtWord(standard.standardDescription)}</th>
                <td class="level">${standard.proficiency ?? '–'}</td>
                <td class="meaning">
                  ${standard.proficiency === null
                    ? t('grades:standards.notAssessed')
                    : t(`grades:standards.levels.${String(standard.proficiency) as '1' | '2' | '3' | '4'}`)}
                  ${standard.comment ? html`<br />${t('grades:grade.teacherComment', { comment: standard.comment })}` : nothing}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="muted">${t('grades:standards.scale')}</p>
    `;
  }

  private renderFlags(row: AssignmentRow) {
    const { score } = row;
    const flags: Array<{ key: ScoreFlag | 'droppedLowest'; warn: boolean }> = (score ? scoreFlags(score) : []).map((key) => ({ key, warn: WARNING_FLAGS.has(key) }));
    if (row.droppedAsLowest) flags.push({ key: 'droppedLowest', warn: false });
    if (flags.length === 0) return nothing;
    return html`<ul class="badges">
      ${flags.map((flag) => html`<li class=${`badge flag-${flag.key}${flag.warn ? ' warn' : ''}`}>${t(`grades:flags.${flag.key}`)}</li>`)}
    </ul>`;
  }

  private renderAssignments(period: GradingPeriodGrades, task: string, language: string, id: string, labelledBy: string) {
    if (period.assignments.length === 0) return html`<p class="muted">${t('grades:assignments.none')}</p>`;
    const number = (value: number) => formatNumber(value, language, { maximumFractionDigits: 2 });
    return html`
      <div class="scroll" tabindex="0" role="region" aria-labelledby=${`${labelledBy} assignments-${id}`}>
        <table class="assignments cards">
          <caption id=${`assignments-${id}`}>${t('grades:assignments.caption', { task })}</caption>
          <thead>
            <tr>
              <th scope="col">${t('grades:assignments.assignment')}</th>
              <th scope="col">${t('grades:assignments.category')}</th>
              <th scope="col">${t('grades:assignments.due')}</th>
              <th scope="col">${t('grades:assignments.score')}</th>
              <th scope="col">${t('grades:assignments.possible')}</th>
              <th scope="col">${t('grades:assignments.flags')}</th>
              <th scope="col">${t('grades:assignments.comment')}</th>
            </tr>
          </thead>
          <tbody>
            ${period.assignments.map(
              (row) => html`<tr data-assignment=${row.assignment.id}>
                <th scope="row">${row.assignment.name}</th>
                <td>${districtWord(row.assignment.categoryName)}</td>
                <td class="number">${calendarDate(row.assignment.dueOn, language)}</td>
                <td class="number score">${row.score?.points != null ? number(row.score.points) : html`<span class="muted">${t('grades:assignments.notGraded')}</span>`}</td>
                <td class="number possible">${number(row.assignment.pointsPossible)}</td>
                <td class="flags">${this.renderFlags(row)}</td>
                <td class="comment">${row.score?.comment ?? ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderCalculation(period: GradingPeriodGrades, method: string, language: string) {
    const calculation = period.calculation;
    if (!calculation) return nothing;
    const number = (value: number) => formatNumber(value, language, { maximumFractionDigits: 2 });
    const weight = (value: number) => formatNumber(value / 100, language, { style: 'percent', maximumFractionDigits: 1 });
    const names = (ids: string[]) => formatList(ids.map((id) => period.assignments.find((row) => row.assignment.id === id)?.assignment.name ?? id), language);
    const categories = period.categories.map((category) => ({ category, result: calculation.categories.find((result) => result.id === category.id)! }));
    const teacherDropped = period.assignments.filter((row) => row.score?.dropped).map((row) => row.assignment.id);
    return html`
      <section class="calculation" aria-labelledby=${`calculation-${period.gradingPeriodId}`}>
        <h4 id=${`calculation-${period.gradingPeriodId}`}>${t('grades:calculation.title')}</h4>
        <p>${method === 'points' ? t('grades:calculation.points') : t('grades:calculation.weighted')}</p>
        <ul>
          ${categories.map(({ category, result }) => {
            const values = { category: districtWord(category.name), weight: weight(category.weight), earned: number(result.earned), possible: number(result.possible) };
            if (method === 'points') return html`<li>${t('grades:calculation.categoryPoints', values)}</li>`;
            if (result.possible === 0 || result.percent === null) return html`<li>${t('grades:calculation.categoryEmpty', values)}</li>`;
            return html`<li>${t('grades:calculation.categoryWeighted', { ...values, percent: formatPercent(result.percent, language) })}</li>`;
          })}
        </ul>
        ${categories
          .filter(({ result }) => result.droppedAssignmentIds.length > 0)
          .map(
            ({ category, result }) =>
              html`<p class="dropped">${t('grades:calculation.droppedLowest', { count: result.droppedAssignmentIds.length, category: districtWord(category.name), assignments: names(result.droppedAssignmentIds) })}</p>`,
          )}
        ${teacherDropped.length > 0 ? html`<p class="dropped">${t('grades:calculation.droppedByTeacher', { assignments: names(teacherDropped) })}</p>` : nothing}
        <p>${t('grades:calculation.rules')}</p>
        <p class="result">
          ${calculation.percent === null ? t('grades:calculation.noResult') : t('grades:calculation.result', { percent: formatPercent(calculation.percent, language) })}
        </p>
      </section>
    `;
  }

  private renderPeriod(section: SectionDocument, period: GradingPeriodGrades, language: string) {
    const task = districtWord(period.termGrade?.gradingTaskName ?? null) ?? t('grades:period.standards');
    const standardsBased = period.calculation === null;
    const summary = standardsBased
      ? t('grades:assignments.summaryStandards', { count: period.assignments.length })
      : t('grades:assignments.summary', { count: period.assignments.length });
    // Names each table by course, grading task and dates, since two quarters share a task name.
    const id = `${section.id}-${period.gradingPeriodId}`;
    const labelledBy = `course-${section.id} task-${id} range-${id}`;
    return html`
      <div class="grading-period" data-grading-period=${period.gradingPeriodId}>
        <h3 id=${`task-${id}`}>${task}</h3>
        ${period.firstDue && period.lastDue
          ? html`<p class="range" id=${`range-${id}`}>${t('grades:period.workDue', { start: calendarDate(period.firstDue, language), end: calendarDate(period.lastDue, language) })}</p>`
          : nothing}
        ${standardsBased ? this.renderStandards(period.standards, language, id, labelledBy) : this.renderTermGrade(period.termGrade, language)}
        ${period.assignments.length > 0 || !standardsBased
          ? html`<details>
              <summary>${summary}</summary>
              ${this.renderAssignments(period, task, language, id, labelledBy)} ${this.renderCalculation(period, section.gradingMethod, language)}
            </details>`
          : nothing}
      </div>
    `;
  }

  private renderSection(section: SectionDocument, periods: GradingPeriodGrades[], language: string) {
    const teacher = section.teachers.map((candidate) => candidate.name).join(', ');
    const meta = [teacher, districtWord(section.periodName)].filter(Boolean).join(' · ');
    return html`
      <section class="card course" data-section=${section.id} aria-labelledby=${`course-${section.id}`}>
        <h2 id=${`course-${section.id}`}>${districtWord(section.courseName)}</h2>
        ${meta ? html`<p class="course-meta">${meta}</p>` : nothing}
        ${periods.length === 0 ? html`<p class="muted">${t('grades:section.noGrades')}</p>` : periods.map((period) => this.renderPeriod(section, period, language))}
      </section>
    `;
  }

  private renderGrades() {
    const student = this.records.student.value;
    if (!this.records.ready) return html`<p class="muted">${t('grades:loading')}</p>`;
    if (!student) return html`<p class="muted">${t('grades:noStudent')}</p>`;
    const language = currentLanguage();
    const sections = sectionsOfStudent(this.records.sections, student.id);
    const today = localIsoDate();
    const terms = termsOf(sections, today);
    const term = terms.find((candidate) => candidate.id === this.termId) ?? terms[0];
    if (!term) return html`<p class="muted">${t('grades:empty')}</p>`;
    const inTerm = sectionsInTerm(sections, term.id);
    const ids = new Set(inTerm.map((section) => section.id));
    const grades = this.records.grades.filter((grade) => grade.studentId === student.id && ids.has(grade.sectionId));
    const assignments = this.records.assignments.filter((assignment) => ids.has(assignment.sectionId));
    const scores = this.records.scores.filter((score) => score.studentId === student.id && ids.has(score.sectionId));
    return html`
      <div class="toolbar no-print">
        ${renderTermField(terms, term, today, this.onTermChange)}
      </div>
      ${inTerm.map((section) => this.renderSection(section, sectionGradebook(section, student.id, grades, assignments, scores), language))}
    `;
  }

  override render() {
    void this.i18n;
    return html`
      <div class="page">
        <hr-student-switcher class="no-print"></hr-student-switcher>
        <h1>${t('grades:heading')}</h1>
        ${this.renderGrades()} ${this.records.renderLastSynced(currentLanguage())}
      </div>
    `;
  }
}

customElements.define('hr-grades', HrGrades);

declare global {
  interface HTMLElementTagNameMap {
    'hr-grades': HrGrades;
  }
}
