import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import {
  TRANSLATED_LANGUAGES,
  MAX_DISTRICT_WORD,
  type DistrictName,
  type DistrictNameUpdate,
  type DistrictWordKind,
} from '../../../server/contract/district-words.ts';
import { I18nController } from '../../app/i18n-controller.ts';
import { languageNames, t } from '../../app/i18n.ts';
import { baseStyles, buttonStyles } from '../../app/shared-styles.ts';
import { apiRequest } from '../../data/api.ts';
import { loadDistrictWords } from '../../data/district-words.ts';
import { authorizedFetch } from '../../data/session.ts';
import { portalPageStyles } from '../attendance/portal-page.styles.ts';
import { staffFormStyles } from '../office/staff-form.styles.ts';

/** At most this many names are shown at once; the search narrows the rest. */
const SHOWN = 60;

/**
 * @summary The names the district defines (courses, terms, grading tasks, categories, fees,
 * standards) with their Spanish, Somali and Vietnamese translations, for district staff who write
 * to families (the district-wide announcements right; online only). Families' screens show each
 * name in the reader's language, or as written when it has none.
 */
export class HrDistrictWords extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    portalPageStyles,
    staffFormStyles("input[type='text'], input[type='search']"),
    css`
      .filters {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--hr-space-3);
        margin-bottom: var(--hr-space-3);
      }
      .filters .field {
        display: grid;
        gap: var(--hr-space-1);
      }
      input[type='search'] {
        width: 100%;
        max-width: 20rem;
      }
      .names {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .name {
        border-top: 1px solid var(--hr-color-line, #ccc);
        padding: var(--hr-space-3) 0;
      }
      .name h2 {
        font-size: var(--hr-font-size-large);
        margin: 0;
        overflow-wrap: anywhere;
      }
      .kinds {
        margin: 0 0 var(--hr-space-2);
        color: var(--hr-color-ink-muted);
        font-size: var(--hr-font-size-small);
      }
      .languages {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
        gap: var(--hr-space-2);
        margin-bottom: var(--hr-space-2);
      }
      .languages label {
        display: grid;
        gap: var(--hr-space-1);
      }
      .languages input {
        width: 100%;
      }
      .missing {
        color: var(--hr-color-bad, #a00);
        font-size: var(--hr-font-size-small);
      }
    `,
  ];

  static override properties = {
    names: { state: true },
    query: { state: true },
    missingOnly: { state: true },
    problem: { state: true },
    notice: { state: true },
  };

  declare private names: DistrictName[] | undefined;
  declare private query: string;
  declare private missingOnly: boolean;
  declare private problem: string;
  declare private notice: string;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.names = undefined;
    this.query = '';
    this.missingOnly = false;
    this.problem = '';
    this.notice = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    const body = await this.call<{ names: DistrictName[] }>('/api/district/words/names');
    if (body) this.names = body.names;
  }

  /** The answer when the server took the call (apiRequest); otherwise says why and returns undefined. */
  private async call<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T | undefined> {
    this.problem = '';
    const result = await apiRequest<T>(path, init, authorizedFetch);
    if (result.ok) return result.body;
    this.problem = result.code === 'offline' ? t('admin:offline') : result.status === 403 ? t('admin:words.forbidden') : t('admin:failed');
    return undefined;
  }

  private shown(): DistrictName[] {
    const query = this.query.trim().toLocaleLowerCase();
    return (this.names ?? []).filter(
      (name) =>
        (!this.missingOnly || TRANSLATED_LANGUAGES.some((lang) => !name.translations[lang])) &&
        (!query || [name.source, ...Object.values(name.translations)].some((text) => text?.toLocaleLowerCase().includes(query))),
    );
  }

  private async save(event: SubmitEvent, name: DistrictName): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const update: DistrictNameUpdate = { source: name.source, translations: {} };
    for (const lang of TRANSLATED_LANGUAGES) update.translations[lang] = String(data.get(lang) ?? '').trim() || null;
    this.notice = '';
    const answer = await this.call<{ name: DistrictName }>('/api/district/words/names', { method: 'PUT', json: update });
    if (!answer) return;
    const saved = answer.name;
    this.names = this.names?.map((candidate) => (candidate.source === saved.source ? saved : candidate));
    this.notice = t('admin:words.saved', { name: saved.source });
    // This device shows the new words at once, too.
    void loadDistrictWords();
  }

  private kindsOf(name: DistrictName): string {
    return name.kinds.map((kind: DistrictWordKind) => t(`admin:words.kinds.${kind}`)).join(', ');
  }

  private renderName(name: DistrictName, index: number) {
    const missing = TRANSLATED_LANGUAGES.filter((lang) => !name.translations[lang]);
    const id = `name-${index}`;
    return html`
      <li class="name">
        <form aria-labelledby=${id} @submit=${(event: SubmitEvent) => this.save(event, name)}>
          <h2 id=${id} lang="en">${name.source}</h2>
          <p class="kinds">${this.kindsOf(name)}</p>
          <div class="languages">
            ${TRANSLATED_LANGUAGES.map(
              (lang) => html`<label>
                <span>${languageNames[lang]}</span>
                <input type="text" name=${lang} lang=${lang} maxlength=${MAX_DISTRICT_WORD} autocomplete="off" .value=${name.translations[lang] ?? ''} />
              </label>`,
            )}
          </div>
          ${missing.length > 0 ? html`<p class="missing">${t('admin:words.missing', { languages: missing.map((lang) => languageNames[lang]).join(', ') })}</p>` : nothing}
          <button type="submit" class="button secondary save" aria-label=${t('admin:words.saveFor', { name: name.source })}>${t('admin:words.save')}</button>
        </form>
      </li>
    `;
  }

  override render() {
    const shown = this.names ? this.shown() : [];
    return html`
      <div class="page">
        <h1>${t('admin:words.heading')}</h1>
        <p>${t('admin:words.intro')}</p>
        <div role="status" class="words-status">
          ${this.problem ? html`<p class="status bad problem">${this.problem}</p>` : nothing}
          ${this.notice ? html`<p class="status good">${this.notice}</p>` : nothing}
        </div>
        ${this.names === undefined
          ? this.problem
            ? nothing
            : html`<p class="muted">${t('admin:loading')}</p>`
          : html`
              <div class="filters">
                <div class="field">
                  <label for="search">${t('admin:words.search')}</label>
                  <input id="search" type="search" autocomplete="off" .value=${this.query} @input=${(event: Event) => (this.query = (event.target as HTMLInputElement).value)} />
                </div>
                <label><input type="checkbox" class="missing-only" .checked=${this.missingOnly} @change=${(event: Event) => (this.missingOnly = (event.target as HTMLInputElement).checked)} /> ${t('admin:words.missingOnly')}</label>
              </div>
              <p class="count" aria-live="polite">${t('admin:words.count', { count: shown.length, total: this.names.length })}</p>
              ${shown.length === 0
                ? html`<p class="muted none">${t('admin:words.none')}</p>`
                : html`<ul class="names">${repeat(shown.slice(0, SHOWN), (name) => name.source, (name, index) => this.renderName(name, index))}</ul>`}
              ${shown.length > SHOWN ? html`<p class="muted">${t('admin:words.more', { count: shown.length - SHOWN })}</p>` : nothing}
            `}
      </div>
    `;
  }
}

customElements.define('hr-district-words', HrDistrictWords);

declare global {
  interface HTMLElementTagNameMap {
    'hr-district-words': HrDistrictWords;
  }
}
