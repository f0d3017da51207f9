/** The page frame the Today, Messages and Family tabs share: a column of cards under a title. */
import { css } from 'lit';
import { cardTableStyles } from '../../components/card-table.ts';
import { columnPageStyles } from '../home/column-page.styles.ts';

export const portalPageStyles = css`
  ${columnPageStyles}
  ${cardTableStyles}
  .page {
    max-width: 48rem;
  }
  h3 {
    margin: 0 0 var(--hr-space-2);
    font-size: var(--hr-font-size);
  }
  section {
    min-width: 0;
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
