/** The page frame the Today, Messages and Family tabs share: a column of cards under a title. */
import { css } from 'lit';

export const portalPageStyles = css`
  :host {
    display: block;
    padding: var(--hr-space-5) var(--hr-space-3) var(--hr-space-7);
  }
  .page {
    display: grid;
    grid-gap: var(--hr-space-4);
    max-width: 48rem;
    margin: 0 auto;
  }
  h1 {
    margin: 0;
    font-size: var(--hr-font-size-title);
    line-height: 1.25;
    letter-spacing: -0.01em;
    overflow-wrap: anywhere;
  }
  h2 {
    margin: 0 0 var(--hr-space-3);
    font-size: var(--hr-font-size-large);
    line-height: 1.3;
  }
  h3 {
    margin: 0 0 var(--hr-space-2);
    font-size: var(--hr-font-size);
  }
  section {
    min-width: 0;
    padding: var(--hr-space-5) var(--hr-space-4);
    background: var(--hr-color-surface);
    border: 1px solid var(--hr-color-border);
    border-radius: var(--hr-radius-large);
    box-shadow: var(--hr-shadow-card);
  }
  @media (min-width: 30rem) {
    section {
      padding: var(--hr-space-5) var(--hr-space-6);
    }
  }
  .offline-notice:empty {
    display: none;
  }
  .offline-notice p {
    margin: 0;
    padding: var(--hr-space-3) var(--hr-space-4);
    border-radius: var(--hr-radius);
    background: var(--hr-color-info-soft);
    border: 1px solid var(--hr-color-field-border);
  }
  .list {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .list > li {
    padding: var(--hr-space-3) 0;
    border-top: 1px solid var(--hr-color-border);
    overflow-wrap: anywhere;
  }
  .list > li:first-child {
    border-top: 0;
    padding-top: 0;
  }
  .muted,
  .detail {
    margin: 0;
    color: var(--hr-color-ink-muted);
  }
  .detail {
    display: block;
    font-size: var(--hr-font-size-small);
  }
  .synced {
    margin: 0;
    color: var(--hr-color-ink-muted);
    font-size: var(--hr-font-size-small);
  }
  .badge {
    display: inline-block;
    padding: 0 var(--hr-space-2);
    border-radius: 999px;
    border: 1px solid var(--hr-color-field-border);
    background: var(--hr-color-canvas);
    font-size: var(--hr-font-size-small);
    font-weight: 600;
    white-space: nowrap;
  }
  .badge.waiting {
    background: var(--hr-color-info-soft);
  }
  .badge.pending {
    background: var(--hr-color-brand-soft);
  }
  .badge.approved {
    background: var(--hr-color-success-soft);
    border-color: var(--hr-color-success-border);
  }
  .badge.refused,
  .badge.rejected {
    background: var(--hr-color-danger-soft);
    border-color: var(--hr-color-danger-border);
  }
  .refusal {
    margin: var(--hr-space-2) 0 0;
    padding: var(--hr-space-2) var(--hr-space-3);
    border-radius: var(--hr-radius);
    background: var(--hr-color-danger-soft);
    border: 1px solid var(--hr-color-danger-border);
  }
  @media print {
    :host {
      padding: 0;
    }
    section {
      box-shadow: none;
      break-inside: avoid;
    }
    .offline-notice,
    hr-student-switcher {
      display: none;
    }
  }
`;
