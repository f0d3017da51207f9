import { LitElement, css, html, nothing } from 'lit';
import type { FeeDocument } from '../../../server/contract/sync/fees.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { CardTableController } from '../../components/card-table.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { baseStyles } from '../../app/shared-styles.ts';
import '../../components/hr-student-switcher.ts';
import { observeFees } from '../../data/portal-queries.ts';
import { RxController } from '../../data/rx-controller.ts';
import { SelectedStudentController } from '../../data/selected-student-controller.ts';
import { observeStudents, studentDisplayName, type StudentDocument } from '../../data/students.ts';
import { observeSyncState, readSyncState } from '../../data/sync-state.ts';
import { formatDate, formatMoney } from '../../lib/format.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { addTotals, feeTotals, noFees, type FeeTotals } from './fee-totals.ts';
import { districtWord } from '../../data/district-words.ts';

const CURRENCY = 'USD';
const dayFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' };
const syncedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };

function money(cents: number): string {
  return formatMoney(cents, CURRENCY, currentLanguage());
}

function day(value: string): string {
  return formatDate(`${value}T12:00:00Z`, currentLanguage(), dayFormat);
}

/**
 * @summary The fees tab: each fee of the selected student (description, category, when assessed
 * and due, amount, paid, balance, and the payments made), the student's totals, and for a
 * guardian of several children the totals of each and of all together.
 */
export class HrFees extends LitElement {
  static override styles = [
    baseStyles,
    portalPageStyles,
    css`
      .payments {
        margin: var(--hr-space-1) 0 0;
        padding: 0;
        list-style: none;
        color: var(--hr-color-ink-muted);
      }
      .waived {
        display: inline-block;
        margin-top: var(--hr-space-1);
        padding: 0 var(--hr-space-2);
        border-radius: var(--hr-radius-small);
        background: var(--hr-color-info-soft);
        font-weight: 600;
      }
      .owed {
        font-weight: 700;
      }
    `,
  ];

  private readonly i18n = new I18nController(this);
  private readonly cardTables = new CardTableController(this);
  private readonly student = new SelectedStudentController(this);
  private readonly students = new RxController(this, observeStudents);
  private readonly fees = new RxController(this, observeFees);
  private readonly synced = new RxController(this, (db) => observeSyncState(db, 'fees'));

  private renderTotalCells(totals: FeeTotals) {
    return html`
      <td class="number assessed">${money(totals.assessedCents)}</td>
      <td class="number paid">${money(totals.paidCents)}</td>
      <td class="number balance">${money(totals.balanceCents)}</td>
    `;
  }

  private renderFees(fees: FeeDocument[]) {
    if (fees.length === 0) return html`<p class="muted">${t('fees:none')}</p>`;
    return html`
      <div class="table-scroll" tabindex="0" role="region" aria-labelledby="fees-caption">
        <table class="fees cards">
          <caption id="fees-caption">${t('fees:list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('fees:list.description')}</th>
              <th scope="col">${t('fees:list.category')}</th>
              <th scope="col">${t('fees:list.assessed')}</th>
              <th scope="col">${t('fees:list.due')}</th>
              <th scope="col" class="number">${t('fees:list.amount')}</th>
              <th scope="col" class="number">${t('fees:list.paid')}</th>
              <th scope="col" class="number">${t('fees:list.balance')}</th>
            </tr>
          </thead>
          <tbody>
            ${fees.map(
              (fee) => html`<tr data-id=${fee.id}>
                <th scope="row">
                  ${districtWord(fee.description)}
                  <div class="small muted">${fee.schoolName}</div>
                  ${fee.waived ? html`<div class="waived small">${t('fees:list.waived')}</div>` : nothing}
                  ${fee.payments.length > 0
                    ? html`<ul class="payments small" aria-label=${t('fees:list.payments')}>
                        ${fee.payments.map((payment) => html`<li>${t('fees:list.payment', { amount: money(payment.amountCents), date: day(payment.paidOn), method: t(`fees:method.${payment.method}`) })}</li>`)}
                      </ul>`
                    : nothing}
                </th>
                <td>${t(`fees:category.${fee.category}`)}</td>
                <td>${day(fee.assessedOn)}</td>
                <td>${day(fee.dueOn)}</td>
                <td class="number amount">${money(fee.amountCents)}</td>
                <td class="number paid">${money(fee.paidCents)}</td>
                <td class="number balance ${fee.balanceCents > 0 ? 'owed' : ''}">${money(fee.balanceCents)}</td>
              </tr>`,
            )}
          </tbody>
          <tfoot>
            <tr class="student-total">
              <th scope="row" colspan="4">${t('fees:list.total')}</th>
              ${this.renderTotalCells(feeTotals(fees))}
            </tr>
          </tfoot>
        </table>
      </div>
      <p class="small muted">${t('fees:list.assessedNote')}</p>
    `;
  }

  private renderFamily(students: StudentDocument[], fees: FeeDocument[]) {
    const rows = students.map((student) => ({ student, totals: feeTotals(fees.filter((fee) => fee.studentId === student.id)) }));
    const all = rows.reduce((sum, row) => addTotals(sum, row.totals), noFees);
    return html`
      <section aria-labelledby="family-title">
        <h2 id="family-title">${t('fees:family.title')}</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="family-caption">
          <table class="family cards">
            <caption id="family-caption">${t('fees:family.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">${t('fees:family.student')}</th>
                <th scope="col" class="number">${t('fees:family.assessed')}</th>
                <th scope="col" class="number">${t('fees:list.paid')}</th>
                <th scope="col" class="number">${t('fees:list.balance')}</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(({ student, totals }) => html`<tr data-student=${student.id}><th scope="row">${studentDisplayName(student)}</th>${this.renderTotalCells(totals)}</tr>`)}
            </tbody>
            <tfoot>
              <tr class="family-total">
                <th scope="row">${t('fees:family.total')}</th>
                ${this.renderTotalCells(all)}
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
    `;
  }

  override render() {
    void this.i18n;
    const students = (this.students.value ?? []).map((doc) => doc.toJSON() as StudentDocument);
    const studentId = this.student.value?.id;
    const fees = this.fees.value ?? [];
    const sync = readSyncState(this.synced.value);
    const ready = studentId !== undefined && this.fees.ready && (fees.length > 0 || sync.lastSyncedAt !== null);
    const mine = fees.filter((fee) => fee.studentId === studentId);
    return html`
      <div class="page">
        <h1>${t('fees:title')}</h1>
        <hr-student-switcher></hr-student-switcher>
        ${!ready
          ? html`<p class="muted" role="status">${t('fees:loading')}</p>`
          : html`
              <section aria-labelledby="fees-title">
                <h2 id="fees-title">${t('fees:list.title')}</h2>
                ${this.renderFees(mine)}
                ${sync.lastSyncedAt !== null ? html`<p class="synced">${t('fees:lastSynced', { when: formatDate(sync.lastSyncedAt, currentLanguage(), syncedFormat) })}</p>` : nothing}
              </section>
              ${students.length > 1 ? this.renderFamily(students, fees) : nothing}
            `}
      </div>
    `;
  }
}

customElements.define('hr-fees', HrFees);

declare global {
  interface HTMLElementTagNameMap {
    'hr-fees': HrFees;
  }
}
