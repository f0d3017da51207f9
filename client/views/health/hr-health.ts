import { LitElement, css, html, nothing } from 'lit';
import type { HealthDocument, ImmunizationCompliance } from '../../../server/contract/sync/health.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { CardTableController } from '../../components/card-table.ts';
import { currentLanguage, t } from '../../app/i18n.ts';
import { baseStyles } from '../../app/shared-styles.ts';
import { alertIcon, successIcon } from '../../components/form-field.ts';
import '../../components/hr-student-switcher.ts';
import { observeHealthRecords } from '../../data/portal-queries.ts';
import { RxController } from '../../data/rx-controller.ts';
import { SelectedStudentController } from '../../data/selected-student-controller.ts';
import { observeSyncState, readSyncState } from '../../data/sync-state.ts';
import { formatDate, formatList } from '../../lib/format.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';

const dayFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' };
const syncedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };

/** "MMR dose 2" for every dose a requirement still lacks (none when exempt or met). */
export function missingDoses(requirements: readonly ImmunizationCompliance[]): Array<{ vaccine: string; dose: number }> {
  const missing: Array<{ vaccine: string; dose: number }> = [];
  for (const requirement of requirements) {
    if (requirement.compliant || requirement.exempt) continue;
    for (let dose = requirement.dosesOnRecord + 1; dose <= requirement.dosesRequired; dose++) missing.push({ vaccine: requirement.vaccine, dose });
  }
  return missing;
}

/** Joins "a, b and c" as the reader's language does. */
function joinList(items: string[]): string {
  return formatList(items, currentLanguage());
}

/**
 * @summary The health tab: the selected student's immunizations on record (vaccine, dose,
 * date or exemption) and the district's requirements for their grade, with one status line
 * saying whether the record is up to date or which doses are missing.
 */
export class HrHealth extends LitElement {
  static override styles = [
    baseStyles,
    portalPageStyles,
    css`
      .status {
        margin-bottom: var(--hr-space-3);
      }
      td.ok {
        color: var(--hr-color-success);
        font-weight: 600;
      }
      td.missing {
        color: var(--hr-color-danger);
        font-weight: 600;
      }
    `,
  ];

  private readonly i18n = new I18nController(this);
  private readonly cardTables = new CardTableController(this);
  private readonly student = new SelectedStudentController(this);
  private readonly records = new RxController(this, observeHealthRecords);
  private readonly synced = new RxController(this, (db) => observeSyncState(db, 'health'));

  private renderStatus(record: HealthDocument) {
    const missing = missingDoses(record.requirements);
    if (record.compliant || missing.length === 0) {
      return html`<p class="status good compliance">${successIcon}<span>${t('health:status.upToDate')}</span></p>`;
    }
    const list = joinList(missing.map(({ vaccine, dose }) => t('health:status.dose', { vaccine, dose })));
    return html`<p class="status bad compliance">${alertIcon}<span>${t('health:status.missing', { list })}</span></p>`;
  }

  private renderRequirements(record: HealthDocument) {
    return html`
      <div class="table-scroll" tabindex="0" role="region" aria-labelledby="requirements-caption">
        <table class="requirements cards">
          <caption id="requirements-caption">${t('health:requirements.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('health:vaccine')}</th>
              <th scope="col" class="number">${t('health:requirements.required')}</th>
              <th scope="col" class="number">${t('health:requirements.onRecord')}</th>
              <th scope="col">${t('health:requirements.status')}</th>
            </tr>
          </thead>
          <tbody>
            ${record.requirements.map((requirement) => {
              const state = requirement.exempt ? 'exempt' : requirement.compliant ? 'met' : 'missing';
              return html`<tr data-vaccine=${requirement.vaccine}>
                <th scope="row">${requirement.vaccine}</th>
                <td class="number">${requirement.dosesRequired}</td>
                <td class="number">${requirement.dosesOnRecord}</td>
                <td class=${state === 'missing' ? 'missing' : 'ok'}>${t(`health:requirements.${state}`)}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderDoses(record: HealthDocument) {
    if (record.doses.length === 0) return html`<p class="muted">${t('health:doses.none')}</p>`;
    const doses = [...record.doses].sort((a, b) => a.vaccine.localeCompare(b.vaccine) || a.doseNumber - b.doseNumber);
    return html`
      <div class="table-scroll" tabindex="0" role="region" aria-labelledby="doses-caption">
        <table class="doses cards">
          <caption id="doses-caption">${t('health:doses.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('health:vaccine')}</th>
              <th scope="col" class="number">${t('health:doses.dose')}</th>
              <th scope="col">${t('health:doses.date')}</th>
              <th scope="col">${t('health:doses.exemption')}</th>
              <th scope="col">${t('health:doses.source')}</th>
            </tr>
          </thead>
          <tbody>
            ${doses.map(
              (dose) => html`<tr>
                <th scope="row">${dose.vaccine}</th>
                <td class="number">${dose.doseNumber}</td>
                <td>${dose.administeredOn ? formatDate(`${dose.administeredOn}T12:00:00Z`, currentLanguage(), dayFormat) : '—'}</td>
                <td>${dose.exemption === 'none' ? '—' : t(`health:exemption.${dose.exemption}`)}</td>
                <td>${t(`health:source.${dose.source}`)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  override render() {
    void this.i18n;
    const studentId = this.student.value?.id;
    const record = (this.records.value ?? []).find((doc) => doc.studentId === studentId);
    const sync = readSyncState(this.synced.value);
    let body;
    if (!studentId || !this.records.ready) body = html`<p class="muted" role="status">${t('health:loading')}</p>`;
    else if (!record) body = html`<section><p class="muted">${sync.lastSyncedAt === null ? t('health:loading') : t('health:noRecord')}</p></section>`;
    else
      body = html`
        <section aria-labelledby="compliance-title">
          <h2 id="compliance-title">${t('health:requirements.title')}</h2>
          ${this.renderStatus(record)} ${this.renderRequirements(record)}
        </section>
        <section aria-labelledby="doses-title">
          <h2 id="doses-title">${t('health:doses.title')}</h2>
          ${this.renderDoses(record)}
          ${sync.lastSyncedAt !== null ? html`<p class="synced">${t('health:lastSynced', { when: formatDate(sync.lastSyncedAt, currentLanguage(), syncedFormat) })}</p>` : nothing}
        </section>
      `;
    return html`
      <div class="page">
        <h1>${t('health:title')}</h1>
        <hr-student-switcher></hr-student-switcher>
        ${body}
      </div>
    `;
  }
}

customElements.define('hr-health', HrHealth);

declare global {
  interface HTMLElementTagNameMap {
    'hr-health': HrHealth;
  }
}
