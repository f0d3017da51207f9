import { css } from 'lit';

/** What the teacher's screens share: the page, class cards, scrollable tables, states. */
export const teacherStyles = css`
  .page {
    padding: var(--hr-space-5) var(--hr-space-4) var(--hr-space-6);
  }
  h1 {
    margin: 0 0 var(--hr-space-2);
    font-size: var(--hr-font-size-xlarge, 1.75rem);
  }
  h2 {
    margin: 0;
    font-size: var(--hr-font-size-large);
  }
  .muted {
    color: var(--hr-color-ink-muted);
  }
  .card {
    margin: var(--hr-space-4) 0;
    padding: var(--hr-space-4);
    border: 1px solid var(--hr-color-border);
    border-radius: var(--hr-radius);
    background: var(--hr-color-surface);
  }
  .meta {
    margin: var(--hr-space-1) 0 var(--hr-space-3);
    color: var(--hr-color-ink-muted);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--hr-space-2);
    margin: var(--hr-space-3) 0;
  }
  .scroll {
    max-width: 100%;
    overflow-x: auto;
  }
  .scroll:focus-visible {
    outline: 3px solid var(--hr-color-focus, var(--hr-color-brand));
  }
  table {
    border-collapse: collapse;
    min-width: 100%;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding: var(--hr-space-2) 0;
  }
  th,
  td {
    padding: var(--hr-space-2);
    border-bottom: 1px solid var(--hr-color-border);
    text-align: start;
    vertical-align: top;
  }
  thead th {
    font-size: var(--hr-font-size-small);
    color: var(--hr-color-ink-muted);
  }
  .flag {
    font-weight: 600;
    color: var(--hr-color-danger);
  }
  .state {
    font-size: var(--hr-font-size-small);
    font-weight: 600;
  }
  .state.refused {
    color: var(--hr-color-danger);
  }
  .notice {
    margin: var(--hr-space-3) 0;
    padding: var(--hr-space-3) var(--hr-space-4);
    border-radius: var(--hr-radius);
    background: var(--hr-color-brand-soft);
  }
  .notice.error {
    background: var(--hr-color-danger-soft);
    border: 1px solid var(--hr-color-danger-border);
  }
  @media print {
    .actions,
    .no-print {
      display: none;
    }
    .card {
      border: none;
      break-inside: avoid;
    }
  }
`;
