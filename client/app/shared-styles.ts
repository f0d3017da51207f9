import { css } from 'lit';

/** Base rules every element shares inside its shadow root. */
export const baseStyles = css`
  :host {
    font-family: var(--hr-font-family);
    line-height: var(--hr-line-height);
    color: var(--hr-color-ink);
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  [hidden] {
    display: none !important;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  /* :focus first for 2019 browsers; the :not(:focus-visible) rule is dropped where unknown. */
  a:focus,
  button:focus,
  input:focus,
  select:focus,
  [tabindex]:focus {
    outline: 3px solid var(--hr-color-focus);
    outline-offset: 2px;
  }
  a:focus:not(:focus-visible),
  button:focus:not(:focus-visible),
  [tabindex]:focus:not(:focus-visible) {
    outline: none;
  }

  a {
    color: var(--hr-color-brand);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  a:hover {
    color: var(--hr-color-brand-hover);
    text-decoration-thickness: 2px;
  }
`;

/** Buttons: `.button` is the main action, `.button.secondary` the quiet one. */
export const buttonStyles = css`
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: var(--hr-target-size);
    min-width: var(--hr-target-size);
    padding: var(--hr-space-2) var(--hr-space-5);
    border: 2px solid var(--hr-color-brand);
    border-radius: var(--hr-radius);
    background: var(--hr-color-brand);
    color: var(--hr-color-on-brand);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    transition: background-color 120ms ease;
  }
  .button:hover {
    background: var(--hr-color-brand-hover);
    border-color: var(--hr-color-brand-hover);
  }
  .button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.85;
  }
  .button.secondary {
    background: var(--hr-color-surface);
    color: var(--hr-color-brand);
  }
  .button.secondary:hover {
    background: var(--hr-color-brand-soft);
  }
  a.button,
  a.button:hover {
    color: var(--hr-color-on-brand);
    text-decoration: none;
  }
  a.button.secondary,
  a.button.secondary:hover {
    color: var(--hr-color-brand);
  }
  /* Consequential actions (sign out everywhere): outlined in the danger colour. */
  .button.danger {
    background: var(--hr-color-surface);
    border-color: var(--hr-color-danger);
    color: var(--hr-color-danger);
  }
  .button.danger:hover {
    background: var(--hr-color-danger-soft);
    border-color: var(--hr-color-danger);
  }
  .button.danger.solid {
    background: var(--hr-color-danger);
    color: var(--hr-color-on-brand);
  }
  .button.danger.solid:hover {
    background: #8f1c13;
  }
`;
