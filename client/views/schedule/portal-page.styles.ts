import { css } from 'lit';
import { labelledSelectStyles } from '../../components/labelled-select.styles.ts';
import { tabPageStyles } from './tab-page.styles.ts';

/** The frame of a per-student portal tab: switcher, title, cards, wide tables that scroll, print. */
export const portalPageStyles = css`
  ${tabPageStyles}
  ${labelledSelectStyles}
  .page {
    min-width: 0;
  }
  h2 {
    overflow-wrap: anywhere;
  }
  .card {
    min-width: 0;
    padding: var(--hr-space-4);
    background: var(--hr-color-surface);
    border: 1px solid var(--hr-color-border);
    border-radius: var(--hr-radius-large);
    box-shadow: var(--hr-shadow-card);
  }
  .muted {
    margin: 0;
    color: var(--hr-color-ink-muted);
  }
  .synced {
    margin: 0;
    color: var(--hr-color-ink-muted);
    font-size: var(--hr-font-size-small);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: var(--hr-space-3);
  }
  .field {
    flex: 1 1 14rem;
    min-width: 0;
  }
  .scroll {
    overflow-x: auto;
    max-width: 100%;
  }
  thead th {
    font-size: var(--hr-font-size-small);
    color: var(--hr-color-ink-muted);
    white-space: nowrap;
  }
  .print-only {
    display: none;
  }
  @media print {
    :host {
      padding: 0;
    }
    .no-print,
    hr-student-switcher {
      display: none !important;
    }
    .print-only {
      display: block;
    }
    .card {
      box-shadow: none;
      border: 0;
      padding: 0;
      break-inside: avoid;
    }
    .scroll {
      overflow: visible;
    }
    a {
      color: inherit;
      text-decoration: none;
    }
  }
`;
