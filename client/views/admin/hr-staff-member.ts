import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { STAFF_ROLES, TOOLS, type StaffRole, type Tool } from '../../../server/contract/roles.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { t } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { localToday } from '../office/office-queries.ts';
import { addDays, addMonths, calendarDay } from '../office/school-days.ts';
import { staffFormStyles } from '../office/staff-form.styles.ts';
import { addRole, endRole, grantRight, recordTraining, resetSecondFactor, withdrawRight, type AdminFailure, type StaffMember, type ToolRight, type Training } from './admin-api.ts';

export { addMonths } from '../office/school-days.ts';

/** The forms of the panel; each shows its own refusal. */
type StaffForm = 'grant' | 'withdraw' | 'addRole' | 'endRole' | 'training' | 'secondFactor';

interface FormError {
  message: string;
  /** Server field names to highlight. */
  fields: string[];
}

const ERROR_IDS: Record<StaffForm, string> = {
  grant: 'grant-error',
  withdraw: 'withdraw-error',
  addRole: 'add-role-error',
  endRole: 'end-role-error',
  training: 'training-error',
  secondFactor: 'second-factor-error',
};

/** Roles a school's administrator gives at the school (district administrators have no school). */
const SCHOOL_ROLES = STAFF_ROLES.filter((role): role is Exclude<StaffRole, 'district_admin'> => role !== 'district_admin');

/**
 * @summary One staff member's roles at the school, trainings and tool rights, with the forms to
 * grant or withdraw a right, add or end a role, and record a training. Online only: every change
 * goes straight to the server, and a refusal is shown with the server's reason.
 * @event hr-staff-changed - A change was saved; the lists should be read again from the server.
 */
export class HrStaffMember extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles('input, select'),
    css`
      :host {
        display: block;
        margin-top: var(--hr-space-4);
        padding: var(--hr-space-4);
        border: 1px solid var(--hr-color-field-border);
        border-radius: var(--hr-radius);
      }
      h3 {
        margin: 0 0 var(--hr-space-2);
        font-size: 1.25rem;
      }
      h4 {
        margin: var(--hr-space-3) 0 var(--hr-space-2);
        font-size: 1.125rem;
      }
      h5 {
        margin: var(--hr-space-3) 0 var(--hr-space-2);
        font-size: 1rem;
      }
      section.group {
        margin-top: var(--hr-space-4);
        padding: 0;
        border: 0;
        border-top: 2px solid var(--hr-color-field-border);
        border-radius: 0;
        box-shadow: none;
        background: none;
      }
      @media (max-width: 480px) {
        :host {
          padding: var(--hr-space-3);
        }
      }
      input,
      select {
        width: 100%;
        max-width: 22rem;
      }
      [aria-invalid='true'] {
        border: 2px solid var(--hr-color-danger);
      }
      .field {
        margin-bottom: var(--hr-space-3);
      }
      .hint {
        display: block;
        margin: 0 0 var(--hr-space-3);
        font-size: var(--hr-font-size-small);
        color: var(--hr-color-ink-muted);
      }
      ul.records {
        margin: 0 0 var(--hr-space-3);
        padding: 0;
        list-style: none;
      }
      ul.records > li {
        padding: var(--hr-space-2) 0;
        border-bottom: 1px solid var(--hr-color-field-border);
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-2);
        align-items: flex-end;
        margin-top: var(--hr-space-2);
      }
      .actions .field {
        margin-bottom: 0;
      }
      form.add {
        margin-top: var(--hr-space-3);
      }
      .training-need {
        font-weight: 400;
        margin-bottom: var(--hr-space-3);
      }
      .status {
        margin-bottom: var(--hr-space-3);
      }
      .confirm p {
        margin: 0 0 var(--hr-space-2);
      }
    `,
  ];

  static override properties = {
    member: { attribute: false },
    schoolId: { attribute: false },
    schoolName: { attribute: false },
    trainings: { attribute: false },
    requiredTraining: { attribute: false },
    districtWide: { attribute: false },
    notice: { state: true },
    errors: { state: true },
    confirming: { state: true },
    confirmingReset: { state: true },
    busy: { state: true },
  };

  /** The staff member, as the server last listed them. */
  declare member: StaffMember | undefined;
  /** The school being administered. */
  declare schoolId: string;
  declare schoolName: string;
  /** The district's trainings, for recording one. */
  declare trainings: Training[];
  /** The training code every tool right needs, current. */
  declare requiredTraining: string;
  /** Whether the administrator may grant rights for the whole district. */
  declare districtWide: boolean;

  declare private notice: string;
  declare private errors: Partial<Record<StaffForm, FormError>>;
  /** The right whose "Withdraw" was pressed once: asked to confirm before it is withdrawn. */
  declare private confirming: string | undefined;
  /** "Reset two-step sign-in" was pressed once: asked to confirm. */
  declare private confirmingReset: boolean;
  declare private busy: StaffForm | undefined;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.member = undefined;
    this.schoolId = '';
    this.schoolName = '';
    this.trainings = [];
    this.requiredTraining = '';
    this.districtWide = false;
    this.notice = '';
    this.errors = {};
    this.confirming = undefined;
    this.confirmingReset = false;
    this.busy = undefined;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // Another staff member chosen: no question left open from the last one.
    if (changed.has('member') && changed.get('member')?.id !== this.member?.id) this.confirmingReset = false;
  }

  /** Moves focus to the panel's heading, after choosing a staff member in the table. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  /** Runs one change on the server: a notice and a reload when it worked, the reason when not. */
  private async run<T>(form: StaffForm, action: () => Promise<{ ok: true; body: T } | { ok: false; failure: AdminFailure }>, success: () => string): Promise<boolean> {
    if (this.busy) return false;
    this.busy = form;
    this.notice = '';
    this.errors = {};
    try {
      const result = await action();
      if (!result.ok) {
        this.errors = { [form]: this.describe(form, result.failure) };
        // Someone else changed it meanwhile: show what the server has now.
        if (!result.failure.offline && result.failure.code === 'not_found') this.changed();
        return false;
      }
      this.notice = success();
      this.changed();
      return true;
    } finally {
      this.busy = undefined;
    }
  }

  private changed(): void {
    this.dispatchEvent(new CustomEvent('hr-staff-changed', { bubbles: true, composed: true, detail: { staffId: this.member?.id ?? '' } }));
  }

  private describe(form: StaffForm, failure: AdminFailure): FormError {
    if (failure.offline) return { message: t('admin:member.errors.offline'), fields: [] };
    const training = this.trainingName(this.requiredTraining);
    switch (failure.code) {
      case 'validation_failed': {
        const fields = failure.fields ?? [];
        const labels = fields.map((field) => this.fieldLabel(form, field));
        return { message: labels.length > 0 ? t('admin:member.errors.validation_failed', { fields: labels.join(', ') }) : t('admin:member.errors.invalid'), fields };
      }
      case 'self_approval':
        return { message: t(form === 'secondFactor' ? 'admin:member.secondFactor.errors.self' : 'admin:member.errors.self_approval'), fields: [] };
      case 'training_required':
        return { message: t('admin:member.errors.training_required', { training }), fields: [] };
      case 'already_granted':
        return { message: t(form === 'addRole' ? 'admin:member.errors.role_exists' : 'admin:member.errors.already_granted'), fields: [] };
      case 'no_location':
        return { message: t('admin:member.errors.no_location'), fields: [] };
      case 'not_found':
        return { message: t('admin:member.errors.not_found'), fields: [] };
      case 'forbidden':
        return { message: t('admin:member.errors.forbidden'), fields: [] };
      default:
        return { message: t('admin:failed'), fields: [] };
    }
  }

  private fieldLabel(form: StaffForm, field: string): string {
    const labels: Record<string, string> = {
      tool: t('admin:member.grant.tool'),
      schoolId: t('admin:member.grant.scope'),
      expiresOn: t('admin:member.grant.expiresOn'),
      role: t('admin:member.addRole.role'),
      startDate: t('admin:member.addRole.startDate'),
      endDate: t('admin:member.endRole.endDate'),
      code: t('admin:member.training.training'),
      completedOn: t('admin:member.training.completedOn'),
      staffId: t('admin:staff.name'),
    };
    return labels[field] ?? (form === 'grant' ? t('admin:member.grant.tool') : field);
  }

  private trainingName(code: string): string {
    return this.trainings.find((training) => training.code === code)?.name ?? code;
  }

  /** aria-invalid for a control whose field the server refused. */
  private invalid(form: StaffForm, field: string): 'true' | 'false' {
    return this.errors[form]?.fields.includes(field) ? 'true' : 'false';
  }

  /** The ids describing a control: its hint, and the form's error when the server refused this field. */
  private describedBy(form: StaffForm, field: string, hint?: string) {
    const ids = [hint, this.errors[form]?.fields.includes(field) ? ERROR_IDS[form] : undefined].filter(Boolean);
    return ids.length > 0 ? ids.join(' ') : nothing;
  }

  private renderError(form: StaffForm) {
    const error = this.errors[form];
    return error ? html`<p class="status bad form-error" id=${ERROR_IDS[form]} role="alert">${error.message}</p>` : nothing;
  }

  private readonly onGrant = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const member = this.member;
    if (!member) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const tool = String(data.get('tool') ?? '') as Tool;
    const schoolId = data.get('scope') === 'district' ? null : this.schoolId;
    const name = `${member.firstName} ${member.lastName}`;
    const ok = await this.run(
      'grant',
      () => grantRight({ staffId: member.id, tool, schoolId, expiresOn: String(data.get('expiresOn') ?? '') }),
      () => t('admin:member.grant.done', { tool: t(`admin:tool.${tool}`), name }),
    );
    if (ok) form.reset();
  };

  private async withdraw(right: ToolRight): Promise<void> {
    const name = right.staffName;
    const ok = await this.run('withdraw', () => withdrawRight(right.id), () => t('admin:member.withdraw.done', { tool: t(`admin:tool.${right.tool}`), name }));
    if (ok) this.confirming = undefined;
  }

  private askWithdraw(right: ToolRight): void {
    this.confirming = right.id;
    this.errors = {};
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.confirm-withdraw')?.focus());
  }

  private keep(right: ToolRight): void {
    this.confirming = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-right="${right.id}"] .withdraw`)?.focus());
  }

  private readonly onAddRole = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const member = this.member;
    if (!member) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const role = String(data.get('role') ?? '') as StaffRole;
    const startDate = String(data.get('startDate') ?? '');
    const ok = await this.run(
      'addRole',
      () => addRole({ staffId: member.id, role, schoolId: this.schoolId, startDate }),
      () => t('admin:member.addRole.done', { role: t(`admin:role.${role}`), date: calendarDay(startDate), name: `${member.firstName} ${member.lastName}` }),
    );
    if (ok) form.reset();
  };

  private async endRole(event: SubmitEvent, location: StaffMember['locations'][number]): Promise<void> {
    event.preventDefault();
    const member = this.member;
    if (!member) return;
    const endDate = String(new FormData(event.target as HTMLFormElement).get('endDate') ?? '');
    await this.run(
      'endRole',
      () => endRole(location.id, endDate),
      () => t('admin:member.endRole.done', { role: t(`admin:role.${location.role}`), date: calendarDay(endDate), name: `${member.firstName} ${member.lastName}` }),
    );
  }

  private readonly onRecordTraining = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const member = this.member;
    if (!member) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const code = String(data.get('code') ?? '');
    const completedOn = String(data.get('completedOn') ?? '');
    const ok = await this.run(
      'training',
      () => recordTraining({ staffId: member.id, code, completedOn }),
      () => t('admin:member.training.done', { training: this.trainingName(code), name: `${member.firstName} ${member.lastName}` }),
    );
    if (ok) {
      form.reset();
      this.requestUpdate();
    }
  };

  private renderRights(member: StaffMember, today: string) {
    const name = `${member.firstName} ${member.lastName}`;
    const needed = member.trainings.filter((training) => training.code === this.requiredTraining).map((training) => training.expiresOn).sort().pop();
    const training = this.trainingName(this.requiredTraining);
    return html`
      <h4 id="rights-title">${t('admin:member.rights')}</h4>
      ${this.renderError('withdraw')}
      ${member.rights.length === 0
        ? html`<p class="muted no-rights">${t('admin:member.noRights')}</p>`
        : html`<ul class="records rights" aria-labelledby="rights-title">
            ${member.rights.map((right) => {
              const tool = t(`admin:tool.${right.tool}`);
              return html`<li data-right=${right.id}>
                <strong>${tool}</strong> · ${right.schoolId === null ? t('admin:member.grant.district') : this.schoolName}
                <span class="hint approval">
                  ${t('admin:member.approval', { name: right.approvedBy.name, approvedOn: calendarDay(right.approvedOn), expiresOn: calendarDay(right.expiresOn) })}
                </span>
                ${this.confirming === right.id
                  ? html`<div class="confirm">
                      <p id="withdraw-question-${right.id}">${t('admin:member.withdraw.question', { tool, name })}</p>
                      <div class="actions">
                        <button
                          type="button"
                          class="button danger solid confirm-withdraw"
                          aria-describedby="withdraw-question-${right.id}"
                          aria-disabled=${this.busy ? 'true' : 'false'}
                          @click=${() => this.withdraw(right)}
                        >
                          ${t('admin:member.withdraw.yes')}
                        </button>
                        <button type="button" class="button secondary keep" @click=${() => this.keep(right)}>${t('admin:member.withdraw.no')}</button>
                      </div>
                    </div>`
                  : html`<div class="actions">
                      <button type="button" class="button danger withdraw" aria-label=${t('admin:member.withdraw.label', { tool, name })} @click=${() => this.askWithdraw(right)}>
                        ${t('admin:member.withdraw.button')}
                      </button>
                    </div>`}
              </li>`;
            })}
          </ul>`}
      <form class="add grant" aria-labelledby="grant-title" @submit=${this.onGrant}>
        <h5 id="grant-title">${t('admin:member.grant.title')}</h5>
        <div class="field">
          <label for="grant-tool">${t('admin:member.grant.tool')}</label>
          <select id="grant-tool" name="tool" required aria-invalid=${this.invalid('grant', 'tool')} aria-describedby=${this.describedBy('grant', 'tool')}>
            ${TOOLS.map((tool) => html`<option value=${tool}>${t(`admin:tool.${tool}`)}</option>`)}
          </select>
        </div>
        ${this.districtWide
          ? html`<div class="field">
              <label for="grant-scope">${t('admin:member.grant.scope')}</label>
              <select id="grant-scope" name="scope" aria-invalid=${this.invalid('grant', 'schoolId')}>
                <option value="school" selected>${t('admin:member.grant.school', { school: this.schoolName })}</option>
                <option value="district">${t('admin:member.grant.district')}</option>
              </select>
            </div>`
          : nothing}
        <div class="field">
          <label for="grant-expires">${t('admin:member.grant.expiresOn')}</label>
          <input
            id="grant-expires"
            name="expiresOn"
            type="date"
            required
            min=${addDays(today, 1)}
            max=${addDays(today, 366)}
            value=${addDays(today, 365)}
            aria-describedby=${this.describedBy('grant', 'expiresOn', 'grant-expires-hint')}
            aria-invalid=${this.invalid('grant', 'expiresOn')}
          />
          <span class="hint" id="grant-expires-hint">${t('admin:member.grant.expiresHint')}</span>
        </div>
        <p class="status ${needed && needed >= today ? 'good' : 'info'} training-need" id="grant-training">
          ${needed && needed >= today
            ? t('admin:member.grant.trainingCurrent', { training, date: calendarDay(needed) })
            : t('admin:member.grant.trainingMissing', { training })}
        </p>
        ${this.renderError('grant')}
        <button type="submit" class="button" aria-describedby="grant-training" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${t('admin:member.grant.submit', { name })}
        </button>
      </form>
    `;
  }

  private renderRoles(member: StaffMember, today: string) {
    return html`
      <h4 id="roles-title">${t('admin:member.roles', { school: this.schoolName })}</h4>
      ${this.renderError('endRole')}
      <ul class="records roles" aria-labelledby="roles-title">
        ${member.locations.map((location) => {
          const role = t(`admin:role.${location.role}`);
          return html`<li data-location=${location.id}>
            <strong>${role}</strong>
            <span class="hint period">
              ${location.endDate
                ? t('admin:member.period', { start: calendarDay(location.startDate), end: calendarDay(location.endDate) })
                : t('admin:member.since', { start: calendarDay(location.startDate) })}
            </span>
            ${location.endDate
              ? nothing
              : html`<form class="end-role" @submit=${(event: SubmitEvent) => this.endRole(event, location)}>
                  <div class="actions">
                    <div class="field">
                      <label for="end-${location.id}">${t('admin:member.endRole.endDateOf', { role })}</label>
                      <input
                        id="end-${location.id}"
                        name="endDate"
                        type="date"
                        required
                        min=${location.startDate > today ? location.startDate : today}
                        value=${location.startDate > today ? location.startDate : today}
                        aria-invalid=${this.invalid('endRole', 'endDate')}
                        aria-describedby=${this.describedBy('endRole', 'endDate')}
                      />
                    </div>
                    <button type="submit" class="button secondary" aria-disabled=${this.busy ? 'true' : 'false'}>${t('admin:member.endRole.submit', { role })}</button>
                  </div>
                </form>`}
          </li>`;
        })}
      </ul>
      <form class="add add-role" aria-labelledby="add-role-title" @submit=${this.onAddRole}>
        <h5 id="add-role-title">${t('admin:member.addRole.title')}</h5>
        <div class="field">
          <label for="role-role">${t('admin:member.addRole.role')}</label>
          <select id="role-role" name="role" required aria-invalid=${this.invalid('addRole', 'role')}>
            ${SCHOOL_ROLES.map((role) => html`<option value=${role}>${t(`admin:role.${role}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="role-start">${t('admin:member.addRole.startDate')}</label>
          <input
            id="role-start"
            name="startDate"
            type="date"
            required
            value=${today}
            aria-invalid=${this.invalid('addRole', 'startDate')}
            aria-describedby=${this.describedBy('addRole', 'startDate')}
          />
        </div>
        ${this.renderError('addRole')}
        <button type="submit" class="button" aria-disabled=${this.busy ? 'true' : 'false'}>${t('admin:member.addRole.submit')}</button>
      </form>
    `;
  }

  private renderTrainings(member: StaffMember, today: string) {
    return html`
      <h4 id="trainings-title">${t('admin:member.trainings')}</h4>
      ${member.trainings.length === 0
        ? html`<p class="muted no-trainings">${t('admin:member.noTrainings')}</p>`
        : html`<ul class="records trainings" aria-labelledby="trainings-title">
            ${member.trainings.map(
              (training) => html`<li>
                <strong>${training.name}</strong> (${training.code})
                <span class="hint">${t('admin:member.completed', { completedOn: calendarDay(training.completedOn), expiresOn: calendarDay(training.expiresOn) })}</span>
              </li>`,
            )}
          </ul>`}
      <form class="add record-training" aria-labelledby="training-title" @submit=${this.onRecordTraining} @input=${() => this.requestUpdate()}>
        <h5 id="training-title">${t('admin:member.training.title')}</h5>
        <div class="field">
          <label for="training-code">${t('admin:member.training.training')}</label>
          <select id="training-code" name="code" required aria-invalid=${this.invalid('training', 'code')}>
            ${this.trainings.map((training) => html`<option value=${training.code} ?selected=${training.code === this.requiredTraining}>${training.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="training-completed">${t('admin:member.training.completedOn')}</label>
          <input
            id="training-completed"
            name="completedOn"
            type="date"
            required
            max=${today}
            value=${today}
            aria-invalid=${this.invalid('training', 'completedOn')}
            aria-describedby=${this.describedBy('training', 'completedOn')}
          />
        </div>
        <p class="hint training-expiry">${this.expiryPreview(today)}</p>
        ${this.renderError('training')}
        <button type="submit" class="button" aria-disabled=${this.busy ? 'true' : 'false'}>${t('admin:member.training.submit')}</button>
      </form>
    `;
  }

  /** The expiry the server will set: completion date plus the training's validity. */
  private expiryPreview(today: string): string {
    const code = this.renderRoot?.querySelector<HTMLSelectElement>('#training-code')?.value ?? this.requiredTraining;
    const completedOn = this.renderRoot?.querySelector<HTMLInputElement>('#training-completed')?.value || today;
    const training = this.trainings.find((candidate) => candidate.code === code);
    if (!training) return '';
    return t('admin:member.training.expiresOn', { date: calendarDay(addMonths(completedOn, training.validMonths)), count: training.validMonths });
  }

  private async askReset(): Promise<void> {
    this.confirmingReset = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.confirm-reset')?.focus();
  }

  private async keepSecondFactor(): Promise<void> {
    this.confirmingReset = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.reset-second-factor')?.focus();
  }

  private async onResetSecondFactor(accountId: string, name: string): Promise<void> {
    const done = await this.run('secondFactor', () => resetSecondFactor(accountId), () => t('admin:member.secondFactor.done', { name }));
    if (done) this.confirmingReset = false;
  }

  /** Whether the account signs in with a second factor; a district administrator resets it (a lost phone). */
  private renderSecondFactor(member: StaffMember) {
    const account = member.account;
    if (!account) return nothing;
    const name = `${member.firstName} ${member.lastName}`;
    const busy = this.busy ? 'true' : 'false';
    return html`
      <h4 id="second-factor-title">${t('admin:member.secondFactor.title')}</h4>
      <p class="second-factor-state">${t(account.secondFactor ? 'admin:member.secondFactor.on' : 'admin:member.secondFactor.off')}</p>
      ${this.renderError('secondFactor')}
      ${account.secondFactor && this.districtWide
        ? this.confirmingReset
          ? html`<div class="confirm">
              <p id="reset-question">${t('admin:member.secondFactor.question', { name })}</p>
              <div class="actions">
                <button type="button" class="button danger solid confirm-reset" aria-describedby="reset-question" aria-disabled=${busy} @click=${() => this.onResetSecondFactor(account.id, name)}>
                  ${t('admin:member.secondFactor.yes')}
                </button>
                <button type="button" class="button secondary keep-second-factor" @click=${this.keepSecondFactor}>${t('admin:member.secondFactor.no')}</button>
              </div>
            </div>`
          : html`<div class="actions">
              <button type="button" class="button danger reset-second-factor" aria-describedby="second-factor-hint" @click=${this.askReset}>${t('admin:member.secondFactor.reset')}</button>
            </div>
            <p class="hint" id="second-factor-hint">${t('admin:member.secondFactor.hint')}</p>`
        : nothing}
    `;
  }

  override render() {
    const member = this.member;
    if (!member) return nothing;
    const today = localToday();
    return html`
      <h3 tabindex="-1">${t('admin:member.title', { name: `${member.firstName} ${member.lastName}` })}</h3>
      ${member.title ? html`<p class="hint">${member.title} · ${member.employeeNumber}</p>` : nothing}
      <div class="member-status" role="status">${this.notice ? html`<p class="status good">${this.notice}</p>` : nothing}</div>
      <section class="group" aria-labelledby="rights-title">${this.renderRights(member, today)}</section>
      <section class="group" aria-labelledby="roles-title">${this.renderRoles(member, today)}</section>
      <section class="group" aria-labelledby="trainings-title">${this.renderTrainings(member, today)}</section>
      ${member.account ? html`<section class="group" aria-labelledby="second-factor-title">${this.renderSecondFactor(member)}</section>` : nothing}
    `;
  }
}

customElements.define('hr-staff-member', HrStaffMember);

declare global {
  interface HTMLElementTagNameMap {
    'hr-staff-member': HrStaffMember;
  }
  interface GlobalEventHandlersEventMap {
    'hr-staff-changed': CustomEvent<{ staffId: string }>;
  }
}
