import { css } from 'lit';
import { cardTableStyles } from '../../components/card-table.ts';

/**
 * What the two tab frames (attendance/portal-page.styles.ts and schedule/portal-page.styles.ts)
 * have in common: a centred 60rem column under a title, headings, and plain data tables.
 */
export const tabPageStyles = css`
  ${cardTableStyles}
  :host {
    display: block;
    padding: var(--hr-space-5) var(--hr-space-3) var(--hr-space-7);
  }
  .page {
    display: grid;
    grid-gap: var(--hr-space-4);
    max-width: 60rem;
    margin: 0 auto;
  }
  h1 {
    margin: 0;
    font-size: var(--hr-font-size-title);
    line-height: 1.25;
    overflow-wrap: anywhere;
  }
  h2 {
    margin: 0 0 var(--hr-space-3);
    font-size: var(--hr-font-size-large);
    line-height: 1.3;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  caption {
    text-align: start;
    font-weight: 600;
    padding-bottom: var(--hr-space-2);
  }
  th,
  td {
    text-align: start;
    vertical-align: top;
    padding: var(--hr-space-2);
    border-bottom: 1px solid var(--hr-color-border);
  }
`;
