import { css } from 'lit';

/**
 * The frame of a one-column screen (home, account, today, messages, family): a centred grid
 * under a title, and cards (`section`) with their headings. Each screen sets its column's width.
 */
export const columnPageStyles = css`
  :host {
    display: block;
    padding: var(--hr-space-5) var(--hr-space-3) var(--hr-space-7);
  }
  .page {
    display: grid;
    grid-gap: var(--hr-space-4);
    margin: 0 auto;
  }
  h1 {
    margin: 0;
    font-size: var(--hr-font-size-title);
    line-height: 1.25;
    letter-spacing: -0.01em;
    overflow-wrap: anywhere;
  }
  section {
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
  h2 {
    margin: 0 0 var(--hr-space-3);
    font-size: var(--hr-font-size-large);
    line-height: 1.3;
  }
`;

/**
 * The students card of the home and account screens: the list of students, when it was last
 * synced, and the alert when this app is too old to sync.
 */
export const studentsCardStyles = css`
  .students li {
    padding: var(--hr-space-2) 0;
    border-top: 1px solid var(--hr-color-border);
  }
  .students li:first-child {
    border-top: 0;
    padding-top: 0;
  }
  .student-detail {
    display: block;
    color: var(--hr-color-ink-muted);
    font-size: var(--hr-font-size-small);
  }
  .muted {
    margin: 0;
    color: var(--hr-color-ink-muted);
  }
  .synced {
    margin: var(--hr-space-3) 0 0;
    color: var(--hr-color-ink-muted);
    font-size: var(--hr-font-size-small);
  }
  .sync-alert p {
    display: flex;
    align-items: flex-start;
    margin: var(--hr-space-3) 0 0;
    padding: var(--hr-space-3) var(--hr-space-4);
    border-radius: var(--hr-radius);
    background: var(--hr-color-danger-soft);
    border: 1px solid var(--hr-color-danger-border);
    font-weight: 600;
  }
  .icon {
    flex: none;
    width: 1.125rem;
    height: 1.125rem;
    margin-top: 0.15em;
    margin-inline-end: var(--hr-space-2);
  }
`;
