/**
 * Periods and rooms as the district names them. A name that is already words ("Period 1",
 * "Block 2", "Room 104", "Gym") is shown as it is: wrapping it gave "Period Period 1". A bare
 * number or code ("3", "104", "12B") gets the reader's word for it ("Period 3", "Aula 104").
 */
import { t } from '../../app/i18n.ts';

const BARE = /^\s*\d[\p{L}\p{N}-]*\s*$/u;

export function periodLabel(name: string): string {
  return BARE.test(name) ? t('teacher:today.period', { name: name.trim() }) : name;
}

export function roomLabel(name: string): string {
  return BARE.test(name) ? t('teacher:today.room', { room: name.trim() }) : name;
}

/** Whether a period's or room's name already says what it is ("Period 1", "Gym"), so it needs no label beside it. */
export function namesItself(name: string | null): boolean {
  return name !== null && name.trim() !== '' && !BARE.test(name);
}
