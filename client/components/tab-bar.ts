import { css, html } from 'lit';

/** One link of a tab bar. */
export interface TabLink {
  href: string;
  text: string;
  current: boolean;
}

/**
 * The look of the portal's and the staff's tab bars: scrolls sideways on a narrow phone
 * instead of wrapping into a wall of links; every link is a 44-pixel target; hidden in print.
 */
export const tabBarStyles = css`
  :host {
    display: block;
    background: var(--hr-color-surface);
    border-bottom: 1px solid var(--hr-color-border);
  }
  ul {
    display: flex;
    gap: var(--hr-space-1);
    margin: 0 auto;
    padding: 0 var(--hr-space-2);
    max-width: 64rem;
    list-style: none;
    overflow-x: auto;
    scrollbar-width: thin;
  }
  a {
    display: inline-flex;
    align-items: center;
    min-height: 2.75rem;
    padding: 0 var(--hr-space-3);
    white-space: nowrap;
    color: var(--hr-color-ink);
    text-decoration: none;
    border-bottom: 3px solid transparent;
  }
  a:hover {
    color: var(--hr-color-brand);
  }
  a[aria-current='page'] {
    color: var(--hr-color-brand);
    border-bottom-color: var(--hr-color-brand);
    font-weight: 600;
  }
  @media print {
    :host {
      display: none;
    }
  }
`;

/** A labelled `<nav>` of links, the current one marked with `aria-current="page"`. */
export function renderTabBar(label: string, links: readonly TabLink[]) {
  return html`
    <nav aria-label=${label}>
      <ul>
        ${links.map((link) => html`<li><a href=${link.href} aria-current=${link.current ? 'page' : 'false'}>${link.text}</a></li>`)}
      </ul>
    </nav>
  `;
}
