import { html } from 'lit';
import { t } from '../../app/i18n.ts';
import type { Term } from './schedule-terms.ts';
import { districtWord } from '../../data/district-words.ts';

/** The term chooser of the schedule and grades tabs; the term running `today` is marked current. */
export function renderTermField(terms: readonly Term[], selected: Term, today: string, onChange: (event: Event) => void) {
  const isCurrent = (candidate: Term) => candidate.start <= today && candidate.end >= today;
  return html`
    <div class="field">
      <label for="term">${t('schedule:term.label')}</label>
      <select id="term" @change=${onChange}>
        ${terms.map(
          (candidate) => html`<option value=${candidate.id} ?selected=${candidate.id === selected.id}>
            ${isCurrent(candidate) ? t('schedule:term.current', { name: districtWord(candidate.name) }) : districtWord(candidate.name)}
          </option>`,
        )}
      </select>
    </div>
  `;
}
