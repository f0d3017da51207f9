import { css, unsafeCSS } from 'lit';

/**
 * The forms of the staff workspace (office and administration): a bold label above each field,
 * and one look for the fields named by `fields` (a view's own selector list, so its checkboxes
 * keep the browser's look). Each view adds how wide its fields may grow.
 */
export function staffFormStyles(fields: string) {
  return css`
    label {
      display: block;
      font-weight: 600;
      margin-bottom: var(--hr-space-1);
    }
    ${unsafeCSS(fields)} {
      font: inherit;
      min-height: var(--hr-target-size);
      box-sizing: border-box;
      padding: var(--hr-space-1) var(--hr-space-2);
      border: 1px solid var(--hr-color-field-border);
      border-radius: var(--hr-radius);
      background: var(--hr-color-surface);
      color: inherit;
    }
  `;
}
