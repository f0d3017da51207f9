/** Signed-in screens only, so not in shared-styles.ts (which the sign-in screen loads). */
import { css } from 'lit';

/** A label above a full-width select (the student switcher, term pickers). */
export const labelledSelectStyles = css`
  label {
    display: block;
    font-weight: 600;
    margin-bottom: var(--hr-space-1);
  }
  select {
    width: 100%;
    min-height: 2.75rem;
    font: inherit;
    padding: var(--hr-space-2) var(--hr-space-3);
    border: 1px solid var(--hr-color-field-border);
    border-radius: var(--hr-radius);
    background: var(--hr-color-surface);
    color: inherit;
  }
`;
