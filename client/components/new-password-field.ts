/**
 * A new password typed twice, for the claim, reset and change-password forms (form-field.ts has
 * the single field the sign-in screen uses).
 */
import { html, type TemplateResult } from 'lit';
import { PASSWORD_MIN_LENGTH } from '../../server/contract/auth.ts';
import { t } from '../app/i18n.ts';
import { renderField } from './form-field.ts';

export interface NewPasswordOptions {
  /** Ids of the two inputs; their errors get `${id}-error`. */
  ids: { password: string; confirm: string };
  labels: { password: string; confirm: string };
  errors: { password?: string; confirm?: string };
  /** Show the passwords as text. */
  shown: boolean;
  onShownChange: (event: Event) => void;
}

/**
 * A new password typed twice, with the rules in plain words above it (read with the first
 * field) and one "show passwords" switch for both. Needs the `password` namespace loaded.
 */
export function renderNewPassword(options: NewPasswordOptions): TemplateResult {
  const type = options.shown ? 'text' : 'password';
  const rules = html`<ul class="rules">
    <li>${t('password:rules.length', { min: PASSWORD_MIN_LENGTH })}</li>
    <li>${t('password:rules.anything')}</li>
    <li>${t('password:rules.common')}</li>
  </ul>`;
  return html`
    ${renderField({
      id: options.ids.password,
      label: options.labels.password,
      type,
      autocomplete: 'new-password',
      hint: rules,
      error: options.errors.password,
    })}
    ${renderField({
      id: options.ids.confirm,
      label: options.labels.confirm,
      type,
      autocomplete: 'new-password',
      error: options.errors.confirm,
    })}
    <div class="check">
      <input
        id="${options.ids.password}-show"
        type="checkbox"
        aria-controls="${options.ids.password} ${options.ids.confirm}"
        .checked=${options.shown}
        @change=${options.onShownChange}
      />
      <label for="${options.ids.password}-show">${t('password:show')}</label>
    </div>
  `;
}
