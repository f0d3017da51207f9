import { html } from 'lit';
import { t } from '../../app/i18n.ts';
import type { SyncStateDocument } from '../../data/sync-state.ts';
import { readSyncState } from '../../data/sync-state.ts';
import { formatDate } from '../../lib/format.ts';

const syncedFormat: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };

/**
 * "Last updated …" for a tab built from several collections: the oldest of their last syncs,
 * since the page is only as fresh as its stalest part; "not updated yet" until all have synced.
 */
export function renderLastSynced(states: ReadonlyArray<SyncStateDocument | null | undefined>, language: string) {
  const times = states.map((state) => readSyncState(state).lastSyncedAt);
  const oldest = times.some((time) => time === null) ? null : Math.min(...(times as number[]));
  return html`<p class="synced">
    ${oldest === null ? t('portal:status.never') : t('portal:status.lastSynced', { when: formatDate(oldest, language, syncedFormat) })}
  </p>`;
}
