import { LitElement, css, html, nothing } from 'lit';
import type { Me } from '../../../server/contract/auth.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { currentMe } from '../../data/session.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { localToday } from '../office/office-queries.ts';
import { addDays, calendarDay } from '../office/school-days.ts';
import { staffFormStyles } from '../office/staff-form.styles.ts';
import {
  fetchAdminSchools,
  fetchExpiringRights,
  fetchSchoolSettings,
  fetchStaff,
  fetchTrainings,
  renewRight,
  saveSchoolSettings,
  type AdminFailure,
  type GradingScale,
  type SchoolSettings,
  type StaffMember,
  type ToolRight,
  type Training,
} from './admin-api.ts';
import './hr-staff-member.ts';

/** Schools where this person administers staff: where they are principal or district administrator. */
export function adminSchools(me: Me | undefined): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  for (const location of me?.locations ?? []) {
    if (location.schoolId && (location.role === 'principal' || location.role === 'district_admin' || location.role === 'office')) {
      seen.set(location.schoolId, location.schoolName ?? location.schoolId);
    }
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

/**
 * @summary Administration for principals and district administrators: rights that lapse in the
 * next 30 days (renewed here), the school's staff with roles, trainings and rights (one staff
 * member's forms open below the table), and the school's settings. Talks to the server directly: it says so plainly when offline.
 */
export class HrAdmin extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles('input, select'),
    css`
      input,
      select {
        max-width: 100%;
      }
      .field {
        margin-bottom: var(--hr-space-3);
      }
      .hint {
        display: block;
        font-size: var(--hr-font-size-small);
        color: var(--hr-color-ink-muted);
      }
      .renew {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-2);
        align-items: center;
      }
      ul.plain {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      button.manage {
        display: flex;
        margin-top: var(--hr-space-1);
        padding-inline: var(--hr-space-3);
        font-weight: 600;
      }
      a.office {
        display: inline-flex;
        align-items: center;
        min-height: var(--hr-target-size);
        font-weight: 600;
      }
    `,
  ];

  static override properties = {
    schools: { state: true },
    schoolId: { state: true },
    expiring: { state: true },
    staff: { state: true },
    settings: { state: true },
    scales: { state: true },
    failure: { state: true },
    notice: { state: true },
    renewError: { state: true },
    settingsNotice: { state: true },
    trainings: { state: true },
    requiredTraining: { state: true },
    selectedStaffId: { state: true },
  };

  /** From the server (a district administrator has no school of her own); until then, from the account's roles. */
  declare private schools: Array<{ id: string; name: string }>;
  declare private schoolId: string | null;
  declare private expiring: ToolRight[] | undefined;
  declare private staff: StaffMember[] | undefined;
  declare private settings: SchoolSettings | undefined;
  declare private scales: GradingScale[];
  declare private failure: AdminFailure | undefined;
  declare private notice: string;
  declare private renewError: string;
  declare private settingsNotice: string;
  declare private trainings: Training[];
  declare private requiredTraining: string;
  /** The staff member whose details and forms are open below the table. */
  declare private selectedStaffId: string | undefined;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.schools = adminSchools(currentMe());
    this.schoolId = this.schools[0]?.id ?? null;
    this.scales = [];
    this.notice = '';
    this.renewError = '';
    this.settingsNotice = '';
    this.trainings = [];
    this.requiredTraining = '';
    this.selectedStaffId = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadSchools();
    void this.load();
  }

  private async loadSchools(): Promise<void> {
    const result = await fetchAdminSchools();
    if (!result.ok) return;
    this.schools = result.body.schools.map(({ id, name }) => ({ id, name }));
    if (!this.schools.some((school) => school.id === this.schoolId)) {
      this.schoolId = this.schools[0]?.id ?? null;
      void this.load();
    }
  }

  /** Reads the school's rights, staff and settings again from the server. */
  async load(): Promise<void> {
    this.failure = undefined;
    const schoolId = this.schoolId;
    if (!schoolId) return;
    const [expiring, staff, settings, trainings] = await Promise.all([fetchExpiringRights(schoolId), fetchStaff(schoolId), fetchSchoolSettings(schoolId), fetchTrainings()]);
    if (schoolId !== this.schoolId) return;
    if (trainings.ok) {
      this.trainings = trainings.body.trainings;
      this.requiredTraining = trainings.body.requiredForRights;
    }
    if (!expiring.ok) this.failure = expiring.failure;
    else this.expiring = expiring.body.rights;
    if (staff.ok) this.staff = staff.body.staff;
    else this.failure ??= staff.failure;
    if (settings.ok) {
      this.settings = settings.body.settings;
      this.scales = settings.body.gradingScales;
    }
  }

  private readonly onSchoolChange = (event: Event): void => {
    this.schoolId = (event.target as HTMLSelectElement).value;
    this.expiring = undefined;
    this.staff = undefined;
    this.settings = undefined;
    this.selectedStaffId = undefined;
    void this.load();
  };

  private async openStaffMember(member: StaffMember): Promise<void> {
    this.selectedStaffId = member.id;
    await this.updateComplete;
    await this.shadowRoot!.querySelector('hr-staff-member')?.focusHeading();
  }

  private async renew(right: ToolRight): Promise<void> {
    const input = this.shadowRoot!.querySelector<HTMLInputElement>(`#renew-${right.id}`);
    const expiresOn = input?.value ?? '';
    this.notice = '';
    this.renewError = '';
    const result = await renewRight(right.id, expiresOn);
    if (!result.ok) {
      const failure = result.failure;
      if (failure.offline) this.failure = failure;
      else if (failure.code === 'self_approval' || failure.code === 'validation_failed' || failure.code === 'forbidden') this.renewError = t(`admin:expiring.errors.${failure.code}`);
      else this.renewError = t('admin:failed');
      return;
    }
    this.notice = t('admin:expiring.renewed', { date: calendarDay(result.body.right.expiresOn) });
    await this.load();
  }

  private async saveSettings(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.schoolId) return;
    const data = new FormData(event.target as HTMLFormElement);
    const optionalNumber = (name: string) => {
      const value = String(data.get(name) ?? '').trim();
      return value === '' ? null : Number(value);
    };
    this.settingsNotice = '';
    const result = await saveSchoolSettings(this.schoolId, {
      gradingScaleId: String(data.get('gradingScaleId') ?? ''),
      roundingDecimals: Number(data.get('roundingDecimals') ?? 0),
      studentAccountsFromGrade: optionalNumber('studentAccountsFromGrade'),
      lockoutThreshold: optionalNumber('lockoutThreshold'),
    });
    if (result.ok) {
      this.settings = result.body.settings;
      this.settingsNotice = t('admin:settings.saved');
    } else if (result.failure.offline) {
      this.failure = result.failure;
    } else {
      const labels: Record<string, string> = {
        gradingScaleId: t('admin:settings.gradingScale'),
        roundingDecimals: t('admin:settings.rounding'),
        studentAccountsFromGrade: t('admin:settings.studentAccounts'),
        lockoutThreshold: t('admin:settings.lockout'),
      };
      this.settingsNotice = result.failure.fields
        ? t('admin:settings.invalid', { fields: result.failure.fields.map((field) => labels[field] ?? field).join(', ') })
        : t('admin:failed');
    }
  }

  private renderFailure() {
    const failure = this.failure;
    if (!failure) return nothing;
    const text = failure.offline ? t('admin:offline') : failure.status === 403 ? t('admin:forbidden') : t('admin:failed');
    return html`
      <div class="status bad failure" role="alert">
        <span>${text}</span>
        <button type="button" class="button secondary" @click=${() => this.load()}>${t('admin:retry')}</button>
      </div>
    `;
  }

  private renderExpiring() {
    if (this.expiring === undefined) return html`<p class="muted">${t('admin:loading')}</p>`;
    if (this.expiring.length === 0) return html`<p class="muted none">${t('admin:expiring.none')}</p>`;
    const today = localToday();
    return html`
      <div class="table-scroll" role="region" tabindex="0" aria-labelledby="expiring-caption">
        <table class="expiring">
          <caption id="expiring-caption">${t('admin:expiring.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('admin:expiring.staff')}</th>
              <th scope="col">${t('admin:expiring.tool')}</th>
              <th scope="col">${t('admin:expiring.expiresOn')}</th>
              <th scope="col">${t('admin:expiring.approvedBy')}</th>
              <th scope="col">${t('admin:expiring.training')}</th>
              <th scope="col">${t('admin:expiring.renew')}</th>
            </tr>
          </thead>
          <tbody>
            ${this.expiring.map(
              (right) => html`
                <tr data-id=${right.id}>
                  <th scope="row">${right.staffName}</th>
                  <td>${t(`admin:tool.${right.tool}`)}</td>
                  <td class="expires">${calendarDay(right.expiresOn)}</td>
                  <td>${right.approvedBy.name}</td>
                  <td>
                    ${right.training?.expiresOn
                      ? t('admin:expiring.trainingUntil', { training: right.training.name, date: calendarDay(right.training.expiresOn) })
                      : t('admin:expiring.noTraining')}
                  </td>
                  <td>
                    <div class="renew">
                      <label class="visually-hidden" for="renew-${right.id}">${t('admin:expiring.renewUntil', { name: right.staffName, tool: t(`admin:tool.${right.tool}`) })}</label>
                      <input id="renew-${right.id}" type="date" min=${addDays(today, 1)} max=${addDays(today, 366)} .value=${addDays(today, 365)} />
                      <button
                        type="button"
                        class="button renew-button"
                        aria-label=${t('admin:expiring.renewFor', { name: right.staffName, tool: t(`admin:tool.${right.tool}`) })}
                        @click=${() => this.renew(right)}
                      >
                        ${t('admin:expiring.renew')}
                      </button>
                    </div>
                  </td>
                </tr>
              `,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderStaff() {
    if (this.staff === undefined) return html`<p class="muted">${t('admin:loading')}</p>`;
    if (this.staff.length === 0) return html`<p class="muted">${t('admin:staff.none')}</p>`;
    const list = (items: string[]) => (items.length === 0 ? t('admin:staff.nothing') : html`<ul class="plain">${items.map((item) => html`<li>${item}</li>`)}</ul>`);
    return html`
      <div class="table-scroll" role="region" tabindex="0" aria-labelledby="staff-caption">
        <table class="staff">
          <caption id="staff-caption">${t('admin:staff.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('admin:staff.name')}</th>
              <th scope="col">${t('admin:staff.roles')}</th>
              <th scope="col">${t('admin:staff.trainings')}</th>
              <th scope="col">${t('admin:staff.rights')}</th>
            </tr>
          </thead>
          <tbody>
            ${this.staff.map(
              (member) => html`
                <tr data-id=${member.id}>
                  <th scope="row">
                    ${member.firstName} ${member.lastName}${member.title ? html`<span class="hint">${member.title}</span>` : nothing}
                    <button
                      type="button"
                      class="button secondary manage"
                      aria-expanded=${this.selectedStaffId === member.id ? 'true' : 'false'}
                      aria-controls="staff-member"
                      aria-label=${t('admin:staff.manageFor', { name: `${member.firstName} ${member.lastName}` })}
                      @click=${() => this.openStaffMember(member)}
                    >
                      ${t('admin:staff.manage')}
                    </button>
                  </th>
                  <td>
                    ${list(
                      member.locations.map((location) =>
                        location.endDate ? t('admin:staff.until', { name: t(`admin:role.${location.role}`), date: calendarDay(location.endDate) }) : t(`admin:role.${location.role}`),
                      ),
                    )}
                  </td>
                  <td>${list(member.trainings.map((training) => t('admin:staff.until', { name: training.name, date: calendarDay(training.expiresOn) })))}</td>
                  <td>${list(member.rights.map((right) => t('admin:staff.until', { name: t(`admin:tool.${right.tool}`), date: calendarDay(right.expiresOn) })))}</td>
                </tr>
              `,
            )}
          </tbody>
        </table>
      </div>
      ${this.renderStaffMember()}
    `;
  }

  private renderStaffMember() {
    const member = this.staff?.find((candidate) => candidate.id === this.selectedStaffId);
    if (!member) return nothing;
    const districtWide = currentMe()?.toolRights.some((right) => right.tool === 'staff_admin' && right.schoolId === null) ?? false;
    return html`<hr-staff-member
      id="staff-member"
      .member=${member}
      .schoolId=${this.schoolId ?? ''}
      .schoolName=${this.schools.find((school) => school.id === this.schoolId)?.name ?? ''}
      .trainings=${this.trainings}
      .requiredTraining=${this.requiredTraining}
      .districtWide=${districtWide}
      @hr-staff-changed=${() => this.load()}
    ></hr-staff-member>`;
  }

  private renderSettings() {
    const settings = this.settings;
    if (!settings) return html`<p class="muted">${t('admin:loading')}</p>`;
    return html`
      <form class="settings" @submit=${this.saveSettings}>
        <div class="field">
          <label for="grading-scale">${t('admin:settings.gradingScale')}</label>
          <select id="grading-scale" name="gradingScaleId">
            ${this.scales.map((scale) => html`<option value=${scale.id} ?selected=${scale.id === settings.gradingScaleId}>${scale.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="rounding">${t('admin:settings.rounding')}</label>
          <input id="rounding" name="roundingDecimals" type="number" min="0" max="2" step="1" required .value=${String(settings.roundingDecimals)} />
        </div>
        <div class="field">
          <label for="student-accounts">${t('admin:settings.studentAccounts')}</label>
          <input
            id="student-accounts"
            name="studentAccountsFromGrade"
            type="number"
            min="-1"
            max="12"
            step="1"
            aria-describedby="student-accounts-hint"
            .value=${settings.studentAccountsFromGrade === null ? '' : String(settings.studentAccountsFromGrade)}
          />
          <span class="hint" id="student-accounts-hint">${t('admin:settings.studentAccountsHint')}</span>
        </div>
        <div class="field">
          <label for="lockout">${t('admin:settings.lockout')}</label>
          <input
            id="lockout"
            name="lockoutThreshold"
            type="number"
            min="1"
            max="20"
            step="1"
            aria-describedby="lockout-hint"
            .value=${settings.lockoutThreshold === null ? '' : String(settings.lockoutThreshold)}
          />
          <span class="hint" id="lockout-hint">${t('admin:settings.lockoutHint')}</span>
        </div>
        <button type="submit" class="button">${t('admin:settings.save')}</button>
        <p class="settings-notice" role="status">${this.settingsNotice}</p>
      </form>
    `;
  }

  override render() {
    const schools = this.schools;
    return html`
      <div class="page">
        <h1>${t('admin:title')}</h1>
        <a class="office" href="#/office">${t('admin:officeLink')}</a>
        ${schools.length === 0
          ? html`<p class="status info">${t('admin:noSchool')}</p>`
          : html`
              <div class="field">
                <label for="school">${t('admin:school')}</label>
                <select id="school" @change=${this.onSchoolChange}>
                  ${schools.map((school) => html`<option value=${school.id} ?selected=${school.id === this.schoolId}>${school.name}</option>`)}
                </select>
              </div>
              ${this.renderFailure()}
              <section aria-labelledby="expiring-title">
                <h2 id="expiring-title">${t('admin:expiring.title')}</h2>
                <div role="status" class="renew-status">
                  ${this.notice ? html`<p class="status good">${this.notice}</p>` : nothing}
                  ${this.renewError ? html`<p class="status bad">${this.renewError}</p>` : nothing}
                </div>
                ${this.renderExpiring()}
              </section>
              <section aria-labelledby="staff-title">
                <h2 id="staff-title">${t('admin:staff.title')}</h2>
                ${this.renderStaff()}
              </section>
              <section aria-labelledby="settings-title">
                <h2 id="settings-title">${t('admin:settings.title')}</h2>
                ${this.renderSettings()}
              </section>
            `}
      </div>
    `;
  }
}

customElements.define('hr-admin', HrAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'hr-admin': HrAdmin;
  }
}
