import { LitElement, css, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { I18nController } from '../../app/i18n-controller.ts';
import { currentLanguage, languageNames, languages, t, type Language } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { GRADE_HIGHEST, GRADE_LOWEST } from '../../../server/contract/sync/messages.ts';
import { gradeLabel } from '../../components/hr-student-switcher.ts';
import { apiRequest } from '../../data/api.ts';
import { authorizedFetch } from '../../data/session.ts';
import { formatList } from '../../lib/format.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { officeSchools } from './hr-office-accounts.ts';
import { localToday } from './office-queries.ts';
import { calendarDay } from './school-days.ts';
import { staffFormStyles } from './staff-form.styles.ts';

export interface Announcement {
  id: string;
  scope: 'district' | 'school' | 'section';
  schoolId: string | null;
  sectionId: string | null;
  title: Partial<Record<Language, string>>;
  body: Partial<Record<Language, string>>;
  startsOn: string;
  endsOn: string;
  /** The grade levels it is meant for, lowest first; empty: every grade. */
  grades: number[];
}

/** Pre-kindergarten to grade 12, as students' records carry them. */
const GRADE_LEVELS = Array.from({ length: GRADE_HIGHEST - GRADE_LOWEST + 1 }, (_, index) => GRADE_LOWEST + index);

/** "Grade 9, Grade 10" in the reader's language. */
function gradeList(grades: readonly number[]): string {
  return formatList(grades.map(gradeLabel), currentLanguage(), { style: 'short', type: 'unit' });
}

/**
 * @summary Announcements for the school or the district (the announcements API, online only):
 * those the person manages, newest first; writing one with a title and text per language
 * (English required, the fallback for the others) and the days it runs; editing and withdrawing.
 */
export class HrOfficeAnnouncements extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles('input, select, textarea'),
    css`
      input,
      select,
      textarea {
        width: 100%;
        max-width: 40rem;
      }
      textarea {
        min-height: 5rem;
      }
      fieldset {
        margin: 0 0 var(--hr-space-3);
        border: 1px solid var(--hr-color-border);
        border-radius: var(--hr-radius);
      }
      legend {
        font-weight: 600;
      }
      .field {
        margin-bottom: var(--hr-space-3);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--hr-space-2);
      }
      .list {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .list > li {
        padding: var(--hr-space-3) 0;
        border-top: 1px solid var(--hr-color-border);
      }
      .list > li:first-child {
        border-top: 0;
      }
      fieldset.grades .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 0 var(--hr-space-3);
      }
      fieldset.grades label {
        display: inline-flex;
        align-items: center;
        gap: var(--hr-space-1);
        min-height: 2.75rem;
      }
      fieldset.grades input {
        width: 1.5rem;
        height: 1.5rem;
        margin: 0;
      }
      .list h3 {
        margin: 0 0 var(--hr-space-1);
        overflow-wrap: anywhere;
      }
    `,
  ];

  static override properties = {
    announcements: { state: true },
    editing: { state: true },
    problem: { state: true },
    notice: { state: true },
  };

  declare private announcements: Announcement[] | undefined;
  /** The announcement in the form: null for a new one. */
  declare private editing: Announcement | null;
  declare private problem: string;
  declare private notice: string;

  private readonly i18n = new I18nController(this);
  /** A new form after each save or edit, so no typed value lingers. */
  private formKey = 0;

  constructor() {
    super();
    this.editing = null;
    this.problem = '';
    this.notice = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    const answer = await this.call<{ announcements: Announcement[] }>('/api/staff/announcements');
    if (answer) this.announcements = answer.body.announcements;
  }

  /** The answer when the server took the call; otherwise says why and returns undefined. */
  private async call<T = unknown>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<{ body: T } | undefined> {
    this.problem = '';
    const result = await apiRequest<T>(path, init, authorizedFetch);
    if (result.ok) return { body: result.body };
    const fields = result.details?.fields as string[] | undefined;
    this.problem = result.code === 'offline'
      ? t('office:announcements.offline')
      : result.code === 'grade_not_taught'
        ? t('office:announcements.gradeNotTaught', { grades: gradeList((result.details?.grades as number[] | undefined) ?? []) })
        : fields
          ? t('office:announcements.invalid', { fields: fields.map((field) => (isFormField(field) ? t(`office:announcements.fields.${field}`) : field)).join(', ') })
          : result.status === 403
            ? t('office:announcements.forbidden')
            : t('office:announcements.failed');
    return undefined;
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const perLanguage = (prefix: string) => Object.fromEntries(languages.map((language) => [language, text(`${prefix}-${language}`)]).filter(([, value]) => value !== ''));
    const scope = text('scope') === 'district' ? 'district' : 'school';
    const body = {
      scope,
      schoolId: scope === 'school' ? text('schoolId') : null,
      title: perLanguage('title'),
      body: perLanguage('body'),
      startsOn: text('startsOn'),
      endsOn: text('endsOn'),
      grades: data.getAll('grades').map(Number),
    };
    const editing = this.editing;
    const answer = await this.call(editing ? `/api/staff/announcements/${encodeURIComponent(editing.id)}` : '/api/staff/announcements', {
      method: editing ? 'PUT' : 'POST',
      json: body,
    });
    if (!answer) return;
    this.notice = editing ? t('office:announcements.updated') : t('office:announcements.created');
    this.editing = null;
    this.formKey += 1;
    await this.load();
  }

  private async withdraw(announcement: Announcement): Promise<void> {
    if (!(await this.call(`/api/staff/announcements/${encodeURIComponent(announcement.id)}`, { method: 'DELETE' }))) return;
    this.notice = t('office:announcements.withdrawn');
    if (this.editing?.id === announcement.id) {
      this.editing = null;
      this.formKey += 1;
    }
    await this.load();
  }

  private edit(announcement: Announcement): void {
    this.editing = announcement;
    this.formKey += 1;
    this.notice = '';
    void this.updateComplete.then(() => this.shadowRoot!.querySelector<HTMLInputElement>('#title-en')?.focus());
  }

  private readonly cancelEdit = (): void => {
    this.editing = null;
    this.formKey += 1;
  };

  private renderForm() {
    const editing = this.editing;
    const schools = officeSchools();
    const today = localToday();
    return keyed(
      this.formKey,
      html`
      <form class="announcement-form" @submit=${this.save}>
        <div class="field">
          <label for="scope">${t('office:announcements.fields.scope')}</label>
          <select id="scope" name="scope">
            <option value="school" ?selected=${editing?.scope !== 'district'}>${t('office:announcements.scope.school')}</option>
            <option value="district" ?selected=${editing?.scope === 'district'}>${t('office:announcements.scope.district')}</option>
          </select>
        </div>
        <div class="field">
          <label for="school-id">${t('office:announcements.fields.schoolId')}</label>
          <select id="school-id" name="schoolId">
            ${schools.map((school) => html`<option value=${school.id} ?selected=${school.id === editing?.schoolId}>${school.name}</option>`)}
          </select>
        </div>
        ${languages.map(
          (language) => html`
            <fieldset>
              <legend lang=${language}>${languageNames[language]}${language === 'en' ? ` (${t('office:announcements.required')})` : ''}</legend>
              <div class="field">
                <label for="title-${language}">${t('office:announcements.fields.title')}</label>
                <input id="title-${language}" name="title-${language}" maxlength="200" ?required=${language === 'en'} .value=${editing?.title[language] ?? ''} />
              </div>
              <div class="field">
                <label for="body-${language}">${t('office:announcements.fields.body')}</label>
                <textarea id="body-${language}" name="body-${language}" maxlength="5000" ?required=${language === 'en'} .value=${editing?.body[language] ?? ''}></textarea>
              </div>
            </fieldset>
          `,
        )}
        <fieldset class="grades" aria-describedby="grades-hint">
          <legend>${t('office:announcements.fields.grades')}</legend>
          <p class="muted small" id="grades-hint">${t('office:announcements.gradesHint')}</p>
          <div class="choices">
            ${GRADE_LEVELS.map(
              (grade) => html`<label><input type="checkbox" name="grades" value=${grade} ?checked=${editing?.grades.includes(grade) ?? false} />${gradeLabel(grade)}</label>`,
            )}
          </div>
        </fieldset>
        <div class="field">
          <label for="starts-on">${t('office:announcements.fields.startsOn')}</label>
          <input id="starts-on" name="startsOn" type="date" required .value=${editing?.startsOn ?? today} />
        </div>
        <div class="field">
          <label for="ends-on">${t('office:announcements.fields.endsOn')}</label>
          <input id="ends-on" name="endsOn" type="date" required .value=${editing?.endsOn ?? today} />
        </div>
        <div class="actions">
          <button type="submit" class="button">${editing ? t('office:announcements.saveChanges') : t('office:announcements.publish')}</button>
          ${editing ? html`<button type="button" class="button secondary" @click=${this.cancelEdit}>${t('office:announcements.cancel')}</button>` : nothing}
        </div>
      </form>
    `,
    );
  }

  private renderList() {
    const list = this.announcements;
    if (list === undefined) return this.problem ? nothing : html`<p class="muted">${t('office:announcements.loading')}</p>`;
    if (list.length === 0) return html`<p class="muted">${t('office:announcements.none')}</p>`;
    const language = currentLanguage();
    return html`
      <ul class="list">
        ${list.map((announcement) => {
          const title = announcement.title[language] ?? announcement.title.en ?? '';
          return html`
            <li data-id=${announcement.id}>
              <h3>${title}</h3>
              <p class="muted small">
                ${t(`office:announcements.scope.${announcement.scope}`)} ·
                ${t('office:announcements.runs', { from: calendarDay(announcement.startsOn), to: calendarDay(announcement.endsOn) })} ·
                <span class="grades">${announcement.grades.length > 0 ? gradeList(announcement.grades) : t('office:announcements.everyGrade')}</span> ·
                ${languages.filter((code) => announcement.title[code]).map((code) => languageNames[code]).join(', ')}
              </p>
              <div class="actions">
                <button type="button" class="button secondary edit" aria-label=${t('office:announcements.editFor', { title })} @click=${() => this.edit(announcement)}>
                  ${t('office:announcements.edit')}
                </button>
                <button type="button" class="button danger withdraw" aria-label=${t('office:announcements.withdrawFor', { title })} @click=${() => this.withdraw(announcement)}>
                  ${t('office:announcements.withdraw')}
                </button>
              </div>
            </li>
          `;
        })}
      </ul>
    `;
  }

  override render() {
    return html`
      <div class="page">
        <h1>${t('office:announcements.title')}</h1>
        <div role="status" class="announcements-status">
          ${this.problem ? html`<p class="status bad problem">${this.problem}</p>` : nothing}
          ${this.notice ? html`<p class="status good">${this.notice}</p>` : nothing}
        </div>
        <section aria-labelledby="form-title">
          <h2 id="form-title">${this.editing ? t('office:announcements.editTitle') : t('office:announcements.newTitle')}</h2>
          ${this.renderForm()}
        </section>
        <section aria-labelledby="list-title">
          <h2 id="list-title">${t('office:announcements.listTitle')}</h2>
          ${this.renderList()}
        </section>
      </div>
    `;
  }
}

const formFields = ['scope', 'schoolId', 'title', 'body', 'startsOn', 'endsOn', 'grades'] as const;
function isFormField(field: string): field is (typeof formFields)[number] {
  return (formFields as readonly string[]).includes(field);
}

customElements.define('hr-office-announcements', HrOfficeAnnouncements);

declare global {
  interface HTMLElementTagNameMap {
    'hr-office-announcements': HrOfficeAnnouncements;
  }
}
