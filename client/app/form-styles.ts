/**
 * Styles of the form screens (sign-in, claim, reset, change password). Kept out of
 * `shared-styles.ts` so the app shell does not carry them: each form view loads them.
 */
import { css } from 'lit';

/** A screen's main card: centred, white, on the canvas gradient. */
export const cardStyles = css`
  :host {
    display: block;
    padding: var(--hr-space-6) var(--hr-space-3) var(--hr-space-7);
  }

  .card {
    max-width: 28rem;
    margin: 0 auto;
    padding: var(--hr-space-6) var(--hr-space-5);
    background: var(--hr-color-surface);
    border: 1px solid var(--hr-color-border);
    border-radius: var(--hr-radius-large);
    box-shadow: var(--hr-shadow-card);
  }
  @media (min-width: 30rem) {
    .card {
      padding: var(--hr-space-6) var(--hr-space-6);
    }
  }

  h1 {
    margin: 0 0 var(--hr-space-2);
    font-size: var(--hr-font-size-title);
    line-height: 1.25;
    letter-spacing: -0.01em;
    color: var(--hr-color-ink);
  }
  h1:focus {
    outline: none;
  }
  .intro {
    margin: 0 0 var(--hr-space-5);
    color: var(--hr-color-ink-muted);
  }

  .links {
    display: grid;
    margin: var(--hr-space-5) 0 0;
    padding: var(--hr-space-3) 0 0;
    border-top: 1px solid var(--hr-color-border);
    list-style: none;
  }
  .links a {
    display: inline-flex;
    align-items: center;
    min-height: var(--hr-target-size);
    padding: var(--hr-space-1) 0;
  }
`;

/**
 * Forms: labelled fields with hints and errors, the alert above a form, and the
 * success notice that replaces one. Pair with `client/components/form-field.ts`.
 */
export const formStyles = css`
  .icon {
    flex: none;
    width: 1.125rem;
    height: 1.125rem;
    margin-inline-end: var(--hr-space-2);
  }

  .alert:not(:empty),
  .notice {
    display: flex;
    align-items: flex-start;
    margin-bottom: var(--hr-space-4);
    padding: var(--hr-space-3) var(--hr-space-4);
    border: 1px solid var(--hr-color-danger-border);
    border-left-width: 4px;
    border-left-color: var(--hr-color-danger);
    border-radius: var(--hr-radius);
    background: var(--hr-color-danger-soft);
    color: var(--hr-color-ink);
  }
  .alert .icon {
    color: var(--hr-color-danger);
    margin-top: 0.15em;
  }
  .alert p,
  .notice p {
    margin: 0;
  }
  .notice {
    border-color: var(--hr-color-success-border);
    border-left-color: var(--hr-color-success);
    background: var(--hr-color-success-soft);
  }
  .notice .icon {
    color: var(--hr-color-success);
    margin-top: 0.15em;
  }
  .notice > div > p + p {
    margin-top: var(--hr-space-2);
  }

  form {
    display: grid;
    grid-gap: var(--hr-space-4);
  }
  fieldset {
    display: grid;
    grid-gap: var(--hr-space-4);
    min-width: 0;
    margin: 0;
    padding: 0;
    border: 0;
  }
  legend {
    margin-bottom: var(--hr-space-2);
    padding: 0;
    font-size: var(--hr-font-size-large);
    font-weight: 700;
  }
  .field {
    display: grid;
    grid-gap: var(--hr-space-1);
  }
  label {
    font-weight: 600;
  }
  .hint {
    margin: 0;
    color: var(--hr-color-ink-muted);
    font-size: var(--hr-font-size-small);
  }
  input[type='text'],
  input[type='password'],
  input[type='date'] {
    width: 100%;
    min-height: var(--hr-target-size);
    padding: var(--hr-space-2) var(--hr-space-3);
    border: 1px solid var(--hr-color-field-border);
    border-radius: var(--hr-radius);
    background: var(--hr-color-surface);
    color: var(--hr-color-ink);
    font: inherit;
  }
  input[aria-invalid='true'] {
    border: 2px solid var(--hr-color-danger);
  }
  .field-error {
    display: flex;
    align-items: flex-start;
    margin: 0;
    color: var(--hr-color-danger);
    font-size: var(--hr-font-size-small);
    font-weight: 600;
  }
  .field-error .icon {
    margin-top: 0.1em;
  }

  .check {
    display: flex;
    align-items: center;
    min-height: var(--hr-target-size);
  }
  .check input {
    flex: none;
    width: 1.5rem;
    height: 1.5rem;
    margin: 0;
    margin-inline-end: var(--hr-space-2);
    accent-color: var(--hr-color-brand);
  }
  .check label {
    font-weight: 400;
    cursor: pointer;
  }

  .rules {
    margin: 0;
    padding: var(--hr-space-3) var(--hr-space-4);
    padding-inline-start: var(--hr-space-6);
    border-radius: var(--hr-radius);
    background: var(--hr-color-info-soft);
    color: var(--hr-color-ink);
    font-size: var(--hr-font-size-small);
  }
  .rules li + li {
    margin-top: var(--hr-space-1);
  }

  .submit {
    width: 100%;
  }
`;
