/**
 * Finding a student of the device's synced records by name or student number, as the office's
 * screens do (grade reopening, attendance history): the search field, and a button per match.
 */
import { css, html, nothing } from 'lit';
import { t } from '../../app/i18n.ts';
import { studentDisplayName, type StudentDocument } from '../../data/students.ts';

export const studentSearchStyles = css`
  input[type='search'] {
    width: 100%;
    max-width: 32rem;
  }
  .hint {
    margin: var(--hr-space-1) 0 0;
    color: var(--hr-color-ink-muted);
    font-size: var(--hr-font-size-small);
  }
  .matches {
    display: flex;
    flex-wrap: wrap;
    gap: var(--hr-space-2);
    margin: var(--hr-space-3) 0;
    padding: 0;
    list-style: none;
  }
  .matches button {
    overflow-wrap: anywhere;
    text-align: start;
  }
`;

export interface StudentSearch {
  search: string;
  /** The students found for `search` (matchStudents in office-grades.ts). */
  matches: readonly StudentDocument[];
  /** False while the device's students are still being read. */
  ready: boolean;
  selectedId: string | null;
  onSearch: (event: Event) => void;
  onSelect: (studentId: string) => void;
}

export function renderStudentSearch(options: StudentSearch) {
  const { search, matches, ready, selectedId } = options;
  return html`
    <div>
      <label for="student-search">${t('office:grades.search')}</label>
      <input id="student-search" type="search" autocomplete="off" aria-describedby="search-hint" .value=${search} @input=${options.onSearch} />
      <p id="search-hint" class="hint">${t('office:grades.searchHint')}</p>
    </div>
    ${!ready
      ? html`<p class="muted">${t('office:grades.loading')}</p>`
      : search.trim().length < 2
        ? nothing
        : matches.length === 0
          ? html`<p class="muted no-match">${t('office:grades.noMatch')}</p>`
          : html`<ul class="matches" aria-label=${t('office:grades.matches')}>
              ${matches.map(
                (match) => html`<li>
                  <button type="button" class="button secondary student" data-id=${match.id} aria-pressed=${match.id === selectedId ? 'true' : 'false'} @click=${() => options.onSelect(match.id)}>
                    ${t('office:grades.studentChoice', { name: studentDisplayName(match), number: match.studentNumber })}
                  </button>
                </li>`,
              )}
            </ul>`}
  `;
}
