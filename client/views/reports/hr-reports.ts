import { LitElement, css, html, nothing } from 'lit';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { CardTableController } from '../../components/card-table.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import '../../components/hr-student-switcher.ts';
import { gradeLabel } from '../../components/hr-student-switcher.ts';
import { studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { calendarDate, formatPercent } from '../grades/gradebook.ts';
import { GradeRecords } from '../grades/grade-records.ts';
import { portalPageStyles } from '../schedule/portal-page.styles.ts';
import { localIsoDate, sectionsOfStudent, termsOf, type Term } from '../schedule/schedule-terms.ts';
import { districtWord } from '../../data/district-words.ts';

export type ReportKind = 'report-card' | 'missing';

const shortDate: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };

/**
 * @summary The Reports tab: printable papers for the chosen student, from the device's copy
 * (so they print offline): the report card (every posted grade of the year, by term) and the
 * list of assignments marked missing. The schedule prints from its own tab.
 */
export class HrReports extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    css`
      .paper h2 {
        margin-bottom: var(--hr-space-1);
      }
      .paper-meta {
        margin: 0 0 var(--hr-space-3);
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .term + .term {
        margin-top: var(--hr-space-4);
      }
      td.number {
        white-space: nowrap;
      }
      .schedule-hint {
        margin: 0;
      }
      .schedule-hint a {
        display: inline-flex;
        align-items: center;
        min-height: var(--hr-target-size);
      }
      @media print {
        .paper-meta {
          color: inherit;
        }
        table {
          font-size: 10pt;
        }
        th,
        td {
          border-bottom: 1px solid #999;
        }
        thead {
          display: table-header-group;
        }
        tr {
          break-inside: avoid;
        }
      }
    `,
  ];

  static override properties = {
    report: { state: true },
  };

  /** The report shown and printed. */
  declare private report: ReportKind;

  private readonly i18n = new I18nController(this);
  private readonly cardTables = new CardTableController(this);
  private readonly records = new GradeRecords(this);

  constructor() {
    super();
    this.report = 'report-card';
  }

  private onReportChange(event: Event): void {
    this.report = (event.target as HTMLSelectElement).value as ReportKind;
  }

  private onPrint(): void {
    window.print();
  }

  private renderHeader(student: StudentDocument, title: string, language: string) {
    return html`
      <h2 id="paper-title">${title}</h2>
      <p class="paper-meta">
        ${[studentDisplayName(student), gradeLabel(student.gradeLevel), student.schoolName].join(' · ')}<br />
        ${t('reports:prepared', { date: formatDate(new Date(), language, shortDate) })}
      </p>
    `;
  }

  private gradeResult(grade: GradeDocument, language: string): string {
    if (grade.kind === 'standard') {
      if (grade.proficiency === null) return t('grades:standards.notAssessed');
      const meaning = t(`grades:standards.levels.${String(grade.proficiency) as '1' | '2' | '3' | '4'}`);
      return t('reports:reportCard.standardResult', { level: grade.proficiency, meaning });
    }
    return [grade.percent === null ? null : formatPercent(grade.percent, language), grade.mark].filter(Boolean).join(' · ') || t('grades:grade.none');
  }

  private renderReportCard(student: StudentDocument, sections: SectionDocument[], language: string) {
    const posted = this.records.grades.filter((grade) => grade.studentId === student.id && grade.status === 'posted');
    const sectionOf = new Map(sections.map((section) => [section.id, section]));
    const terms = termsOf(sections, localIsoDate()).sort((a, b) => a.start.localeCompare(b.start));
    const rowsOf = (term: Term) =>
      posted
        .filter((grade) => sectionOf.get(grade.sectionId)?.termId === term.id)
        .sort((a, b) => {
          const sa = sectionOf.get(a.sectionId)!;
          const sb = sectionOf.get(b.sectionId)!;
          return (
            (sa.periodSequence ?? 99) - (sb.periodSequence ?? 99) ||
            sa.courseName.localeCompare(sb.courseName) ||
            (a.postedAt ?? '').localeCompare(b.postedAt ?? '') ||
            (a.standardCode ?? '').localeCompare(b.standardCode ?? '')
          );
        });
    const withGrades = terms.map((term) => ({ term, rows: rowsOf(term) })).filter(({ rows }) => rows.length > 0);
    return html`
      ${this.renderHeader(student, t('reports:reportCard.heading'), language)}
      ${withGrades.length === 0
        ? html`<p class="muted">${t('reports:reportCard.none')}</p>`
        : withGrades.map(
            ({ term, rows }) => html`
              <div class="term scroll" tabindex="0" role="region" aria-labelledby=${`term-${term.id}`}>
                <table class="report-card cards">
                  <caption id=${`term-${term.id}`}>${t('reports:reportCard.caption', { term: districtWord(term.name) })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">${t('reports:reportCard.course')}</th>
                      <th scope="col">${t('reports:reportCard.task')}</th>
                      <th scope="col">${t('reports:reportCard.posted')}</th>
                      <th scope="col">${t('reports:reportCard.result')}</th>
                      <th scope="col">${t('reports:reportCard.comment')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows.map((grade) => {
                      const section = sectionOf.get(grade.sectionId)!;
                      return html`<tr data-grade=${grade.id}>
                        <th scope="row">${districtWord(section.courseName)}</th>
                        <td>${grade.kind === 'standard' ? html`<strong>${grade.standardCode}</strong> ${districtWord(grade.standardDescription)}` : districtWord(grade.gradingTaskName)}</td>
                        <td class="number">${grade.postedAt ? calendarDate(grade.postedAt, language) : ''}</td>
                        <td class="result">${this.gradeResult(grade, language)}</td>
                        <td>${grade.comment}</td>
                      </tr>`;
                    })}
                  </tbody>
                </table>
              </div>
            `,
          )}
    `;
  }

  private renderMissing(student: StudentDocument, sections: SectionDocument[], language: string) {
    const sectionOf = new Map(sections.map((section) => [section.id, section]));
    const assignmentOf = new Map(this.records.assignments.map((assignment) => [assignment.id, assignment]));
    const missing = this.records.scores
      .filter((score) => score.studentId === student.id && score.missing && !score.exempt && sectionOf.has(score.sectionId) && assignmentOf.has(score.assignmentId))
      .map((score) => ({ score, assignment: assignmentOf.get(score.assignmentId)!, section: sectionOf.get(score.sectionId)! }))
      .sort((a, b) => b.assignment.dueOn.localeCompare(a.assignment.dueOn) || a.section.courseName.localeCompare(b.section.courseName));
    return html`
      ${this.renderHeader(student, t('reports:missing.heading'), language)}
      ${missing.length === 0
        ? html`<p class="muted">${t('reports:missing.none')}</p>`
        : html`
            <p class="count">${t('reports:missing.count', { count: missing.length })}</p>
            <div class="scroll" tabindex="0" role="region" aria-labelledby="missing-caption">
              <table class="missing cards">
                <caption id="missing-caption">${t('reports:missing.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('reports:missing.assignment')}</th>
                    <th scope="col">${t('reports:missing.course')}</th>
                    <th scope="col">${t('reports:missing.due')}</th>
                    <th scope="col">${t('reports:missing.possible')}</th>
                    <th scope="col">${t('reports:missing.comment')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${missing.map(
                    ({ score, assignment, section }) => html`<tr data-assignment=${assignment.id}>
                      <th scope="row">${assignment.name}</th>
                      <td>${districtWord(section.courseName)}</td>
                      <td class="number">${calendarDate(assignment.dueOn, language)}</td>
                      <td class="number">${formatNumber(assignment.pointsPossible, language, { maximumFractionDigits: 2 })}</td>
                      <td class="comment">${score.comment}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>
          `}
    `;
  }

  private renderReport() {
    const student = this.records.student.value;
    if (!this.records.ready) return html`<p class="muted">${t('reports:loading')}</p>`;
    if (!student) return html`<p class="muted">${t('reports:noStudent')}</p>`;
    const language = currentLanguage();
    const sections = sectionsOfStudent(this.records.sections, student.id);
    return html`
      <section class="card paper" aria-labelledby="paper-title">
        ${this.report === 'missing' ? this.renderMissing(student, sections, language) : this.renderReportCard(student, sections, language)}
      </section>
    `;
  }

  override render() {
    void this.i18n;
    return html`
      <div class="page">
        <hr-student-switcher class="no-print"></hr-student-switcher>
        <h1 class="no-print">${t('reports:heading')}</h1>
        <div class="toolbar no-print">
          <div class="field">
            <label for="report">${t('reports:picker.label')}</label>
            <select id="report" @change=${this.onReportChange}>
              <option value="report-card" ?selected=${this.report === 'report-card'}>${t('reports:picker.reportCard')}</option>
              <option value="missing" ?selected=${this.report === 'missing'}>${t('reports:picker.missing')}</option>
            </select>
          </div>
          <button type="button" class="button secondary" @click=${this.onPrint}>${t('reports:print')}</button>
        </div>
        <p class="schedule-hint no-print">${t('reports:scheduleHint')} <a href="#/schedule">${t('reports:scheduleLink')}</a></p>
        ${this.renderReport()} ${this.records.renderLastSynced(currentLanguage())}
      </div>
    `;
  }
}

customElements.define('hr-reports', HrReports);

declare global {
  interface HTMLElementTagNameMap {
    'hr-reports': HrReports;
  }
}
