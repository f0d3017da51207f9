/**
 * The labelled input every form uses: label, optional hint, the input, and its error, wired
 * so a screen reader reads the hint and the error with the field (`aria-describedby`).
 * Styles come from `formStyles` in `client/app/form-styles.ts`. A new password typed twice is in
 * new-password-field.ts (the sign-in screen does without it).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

export const alertIcon = html`<svg class="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
  <path
    fill="currentColor"
    d="M10 1.5a8.5 8.5 0 1 1 0 17 8.5 8.5 0 0 1 0-17zm0 11.75a1.1 1.1 0 1 0 0 2.2 1.1 1.1 0 0 0 0-2.2zM10 4.9c-.7 0-1.2.6-1.15 1.3l.4 5.1a.75.75 0 0 0 1.5 0l.4-5.1c.05-.7-.45-1.3-1.15-1.3z"
  />
</svg>`;

export const successIcon = html`<svg class="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
  <path
    fill="currentColor"
    d="M10 1.5a8.5 8.5 0 1 1 0 17 8.5 8.5 0 0 1 0-17zm3.9 5.2a.8.8 0 0 0-1.1.1L8.9 11.5 7.2 9.8a.8.8 0 1 0-1.1 1.1l2.3 2.3a.8.8 0 0 0 1.2-.1l4.4-5.3a.8.8 0 0 0-.1-1.1z"
  />
</svg>`;

export interface FieldOptions {
  /** The input's id and name. */
  id: string;
  label: string;
  type?: 'text' | 'password' | 'date' | 'email';
  autocomplete: string;
  /** Shown under the label, and read with the field. */
  hint?: string | TemplateResult;
  /** The field's error message; marks the input invalid. */
  error?: string;
  /** Controlled value (formatted fields); leave undefined for plain inputs. */
  value?: string;
  inputmode?: 'text' | 'numeric' | 'latin' | 'email';
  maxlength?: number;
  onInput?: (event: InputEvent) => void;
  /** Spell checking; off by default (usernames, codes, passwords). */
  spellcheck?: boolean;
}

export function renderField(options: FieldOptions): TemplateResult {
  const { id, error, hint } = options;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`
    <div class="field">
      <label for=${id}>${options.label}</label>
      ${hint ? html`<div id="${id}-hint" class="hint">${hint}</div>` : nothing}
      <input
        id=${id}
        name=${id}
        type=${options.type ?? 'text'}
        autocomplete=${options.autocomplete}
        autocapitalize="none"
        spellcheck=${options.spellcheck ? 'true' : 'false'}
        inputmode=${ifDefined(options.inputmode)}
        maxlength=${ifDefined(options.maxlength)}
        required
        .value=${options.value === undefined ? nothing : live(options.value)}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(describedBy || undefined)}
        @input=${ifDefined(options.onInput)}
      />
      ${error ? html`<p id="${id}-error" class="field-error">${alertIcon}<span>${error}</span></p>` : nothing}
    </div>
  `;
}
