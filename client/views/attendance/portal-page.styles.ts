/**
 * The page frame shared by the attendance, health and fees tabs: a centred column of cards,
 * tables that scroll sideways inside a labelled region on a 320-pixel phone, and statuses.
 */
import { css } from 'lit';
import { tabPageStyles } from '../schedule/tab-page.styles.ts';

export const portalPageStyles = css`
  ${tabPageStyles}
  section {
    min-width: 0;
    padding: var(--hr-space-5) var(--hr-space-4);
    background: var(--hr-color-surface);
    border: 1px solid var(--hr-color-border);
    border-radius: var(--hr-radius-large);
    box-shadow: var(--hr-shadow-card);
  }
  h3 {
    margin: var(--hr-space-4) 0 var(--hr-space-2);
    font-size: var(--hr-font-size);
  }
  p {
    margin: 0 0 var(--hr-space-2);
  }
  .muted {
    color: var(--hr-color-ink-muted);
  }
  .small {
    font-size: var(--hr-font-size-small);
  }
  .table-scroll {
    overflow-x: auto;
    max-width: 100%;
  }
  table {
    font-size: var(--hr-font-size-small);
  }
  thead th {
    white-space: nowrap;
    border-bottom-width: 2px;
  }
  td.number,
  th.number {
    text-align: end;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
  tfoot th,
  tfoot td {
    font-weight: 700;
    border-bottom: 0;
  }
  .status {
    display: flex;
    align-items: flex-start;
    gap: var(--hr-space-2);
    margin: 0;
    padding: var(--hr-space-3) var(--hr-space-4);
    border-radius: var(--hr-radius);
    font-weight: 600;
  }
  .status.good {
    background: var(--hr-color-success-soft);
    border: 1px solid var(--hr-color-success-border);
  }
  .status.bad {
    background: var(--hr-color-danger-soft);
    border: 1px solid var(--hr-color-danger-border);
  }
  .status.info {
    background: var(--hr-color-info-soft);
    border: 1px solid var(--hr-color-field-border);
  }
  .icon {
    flex: none;
    width: 1.125rem;
    height: 1.125rem;
    margin-top: 0.15em;
  }
  .synced {
    margin: var(--hr-space-3) 0 0;
    color: var(--hr-color-ink-muted);
    font-size: var(--hr-font-size-small);
  }
  @media print {
    :host {
      padding: 0;
    }
    section {
      box-shadow: none;
      border: 0;
      padding: 0;
      break-inside: avoid-page;
    }
    .table-scroll {
      overflow: visible;
    }
    hr-student-switcher,
    .no-print {
      display: none;
    }
  }
`;
