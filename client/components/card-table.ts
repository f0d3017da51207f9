/**
 * Record tables that become cards on a phone (issue 13): up to 45rem (720 px) every row of a
 * `table.cards` is a card in which each value is labelled by its column's header and nothing
 * needs sideways scrolling, in any of the four languages, at 320 px, and at 200 % zoom on a
 * laptop (a 1280-pixel window is 640 CSS pixels wide then). Tablets, wider screens and print
 * keep the table.
 *
 * Mark a table with `class="cards"`, give its element `cardTableStyles`, and create one
 * `CardTableController` for the element: after every render it copies each column header's text
 * into the `data-label` of that column's cells (so labels follow the language, and no template
 * repeats its headers). The table keeps its table semantics (thead is only visually hidden), so
 * screen readers still announce headers; the visible labels are not read twice (`content: … / ""`).
 */
import { css, type ReactiveController, type ReactiveControllerHost } from 'lit';

export const cardTableStyles = css`
  @media screen and (max-width: 45rem) {
    table.cards,
    table.cards > caption,
    table.cards > tbody,
    table.cards > tfoot,
    table.cards > tbody > tr,
    table.cards > tfoot > tr {
      display: block;
      width: 100%;
    }
    table.cards > caption {
      overflow-wrap: break-word;
    }
    table.cards > thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      clip-path: inset(50%);
      white-space: nowrap;
    }
    table.cards > tbody > tr,
    table.cards > tfoot > tr {
      padding: var(--hr-space-2) 0;
      border-top: 1px solid var(--hr-color-border);
    }
    table.cards > tbody > tr:first-child {
      border-top: 0;
    }
    table.cards > tfoot > tr {
      border-top-width: 2px;
    }
    table.cards > * > tr > th,
    table.cards > * > tr > td {
      display: block;
      width: auto;
      padding: var(--hr-space-1) 0;
      border: 0;
      text-align: start;
      white-space: normal;
      overflow-wrap: break-word;
    }
    table.cards > * > tr > th[scope='row'] {
      font-weight: 700;
    }
    table.cards > * > tr > td:empty {
      display: none;
    }
    table.cards > * > tr > td[data-label]::before {
      content: attr(data-label);
      content: attr(data-label) / '';
      display: inline-block;
      margin-inline-end: var(--hr-space-2);
      color: var(--hr-color-ink-muted);
      font-weight: 600;
    }
  }
`;

/** Each cell's column header, as text, by the cell's column (colspans counted). */
function labelCells(table: HTMLTableElement): void {
  const headerRow = table.tHead?.rows[table.tHead.rows.length - 1];
  if (!headerRow) return;
  const headers: string[] = [];
  for (const cell of Array.from(headerRow.cells)) {
    const text = (cell.textContent ?? '').replace(/\s+/g, ' ').trim();
    for (let span = 0; span < cell.colSpan; span += 1) headers.push(text);
  }
  for (const body of [...Array.from(table.tBodies), ...(table.tFoot ? [table.tFoot] : [])]) {
    for (const row of Array.from(body.rows)) {
      let column = 0;
      for (const cell of Array.from(row.cells)) {
        const label = headers[column] ?? '';
        // A value that names itself ("Period 1", "Room 104") shows without its column's label.
        if (cell.tagName === 'TD' && cell.colSpan === 1 && label && !('namesItself' in cell.dataset)) {
          if (cell.dataset.label !== label) cell.dataset.label = label;
        } else if (cell.dataset.label !== undefined) delete cell.dataset.label;
        column += cell.colSpan;
      }
    }
  }
}

export class CardTableController implements ReactiveController {
  constructor(private readonly host: ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode }) {
    host.addController(this);
  }

  hostUpdated(): void {
    for (const table of Array.from(this.host.renderRoot.querySelectorAll<HTMLTableElement>('table.cards'))) labelCells(table);
  }
}
