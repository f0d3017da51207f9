import { LitElement, css, html } from 'lit';
import { I18nController } from '../app/i18n-controller.ts';
import { currentLanguage, isLanguage, languageNames, languages, setLanguage, t } from '../app/i18n.ts';
import { baseStyles } from '../app/shared-styles.ts';

/**
 * @summary A labelled list of the supported languages, each in its own name.
 * Choosing one switches the whole app at once and is remembered on this device.
 */
export class HrLanguagePicker extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
      }
      label {
        display: flex;
        align-items: center;
        color: inherit;
        font-size: var(--hr-font-size-small);
        font-weight: 600;
      }
      .globe {
        flex: none;
        width: 1.25rem;
        height: 1.25rem;
        margin-inline-end: var(--hr-space-2);
      }
      .label-text {
        margin-inline-end: var(--hr-space-2);
      }
      @media (max-width: 40rem) {
        :host([compact]) .label-text {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
          white-space: nowrap;
        }
      }
      select {
        min-height: var(--hr-target-size);
        max-width: 100%;
        padding: var(--hr-space-1) 2rem var(--hr-space-1) var(--hr-space-3);
        border: 1px solid var(--hr-color-field-border);
        border-radius: var(--hr-radius);
        background: var(--hr-color-surface)
          url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M4 6l4 4 4-4' fill='none' stroke='%231b2430' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'/%3E%3C/svg%3E")
          no-repeat right 0.625rem center / 1rem;
        color: var(--hr-color-ink);
        font: inherit;
        font-size: var(--hr-font-size);
        font-weight: 400;
        -webkit-appearance: none;
        appearance: none;
        cursor: pointer;
      }
    `,
  ];

  static override properties = {
    compact: { type: Boolean, reflect: true },
  };

  /** On narrow screens, hide the visible "Language" text (it stays the accessible name). */
  declare compact: boolean;

  private readonly i18n = new I18nController(this);

  constructor() {
    super();
    this.compact = false;
  }

  private async onChange(event: Event): Promise<void> {
    const { value } = event.target as HTMLSelectElement;
    if (isLanguage(value)) await setLanguage(value);
  }

  override render() {
    const selected = currentLanguage();
    // `?selected` sets the first render (options do not exist yet when `.value` is set); `.value` every later one.
    return html`
      <label>
        <svg class="globe" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <g fill="none" stroke="currentColor" stroke-width="1.8">
            <circle cx="12" cy="12" r="9" />
            <path d="M3 12h18M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z" />
          </g>
        </svg>
        <span class="label-text">${t('common:language.label')}</span>
        <select .value=${selected} @change=${this.onChange}>
          ${languages.map(
            (language) => html`
              <option value=${language} lang=${language} ?selected=${language === selected}>
                ${languageNames[language]}
              </option>
            `,
          )}
        </select>
      </label>
    `;
  }
}

customElements.define('hr-language-picker', HrLanguagePicker);

declare global {
  interface HTMLElementTagNameMap {
    'hr-language-picker': HrLanguagePicker;
  }
}
