/** Days of the school calendar (`2026-11-24`) as the staff workspace shows and counts them. */
import { currentLanguage } from '../../app/i18n.ts';
import { formatDate } from '../../lib/format.ts';

const shortDate: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };

/** A school day in the reader's words, read at noon UTC so no time zone moves it to another day. */
export function calendarDay(day: string, format: Intl.DateTimeFormatOptions = shortDate): string {
  return formatDate(`${day}T12:00:00Z`, currentLanguage(), format);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** As PostgreSQL adds months to a date: the 31st of a shorter month becomes its last day. */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1, 12));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0, 12)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}
