/**
 * Dates, numbers and money in the reader's language. Pure: the caller passes the locale
 * (usually `currentLanguage()`), so these work the same in views, tests and e-mails.
 */

interface BorrowedCalendar {
  monthsShort: string[];
  monthsLong: string[];
  weekdaysShort: string[];
  weekdaysLong: string[];
  /** Before noon, after noon. */
  dayPeriods: [string, string];
  /** What joins a date to its time ("Nof 24, 2026 ee 5:06 GD"). */
  dateTimeJoint: string;
}

/**
 * CLDR calendar names for languages some browsers ship without (Chromium has no Somali
 * date data and would print English). Somali's CLDR patterns are English's with other
 * names and another date–time joint, so English parts are renamed.
 */
const borrowedCalendars: Record<string, BorrowedCalendar> = {
  so: {
    monthsShort: ['Jan', 'Feb', 'Mar', 'Abr', 'May', 'Jun', 'Lul', 'Ogs', 'Seb', 'Okt', 'Nof', 'Dis'],
    monthsLong: ['Jannaayo', 'Febraayo', 'Maarso', 'Abriil', 'Maayo', 'Juun', 'Luulyo', 'Ogosto', 'Sebteembar', 'Oktoobar', 'Noofeembar', 'Diseembar'],
    weekdaysShort: ['Axd', 'Isn', 'Tldo', 'Arbc', 'Khms', 'Jmc', 'Sbti'],
    weekdaysLong: ['Axad', 'Isniin', 'Talaado', 'Arbaco', 'Khamiis', 'Jimco', 'Sabti'],
    dayPeriods: ['GH', 'GD'],
    dateTimeJoint: ' ee ',
  },
};

/**
 * Intl formatters by locale and options, made once: making one is far slower than using it
 * (Today formats a few hundred dates and scores; a new formatter for each was most of its
 * main-thread time on a slow phone).
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>();

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat>(kind: string, locale: string, options: object | undefined, make: () => F): F {
  const key = `${kind}\u0000${locale}\u0000${options ? JSON.stringify(options) : ''}`;
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) formatters.set(key, (formatter = make()));
  return formatter;
}

const dateFormat = (locale: string, options: Intl.DateTimeFormatOptions) => cached('date', locale, options, () => new Intl.DateTimeFormat(locale, options));
const numberFormat = (locale: string, options?: Intl.NumberFormatOptions) => cached('number', locale, options, () => new Intl.NumberFormat(locale, options));

/** Whether the browser has date names for each locale, asked once per locale. */
const hasDateNames = new Map<string, boolean>();

function borrowedCalendar(locale: string): BorrowedCalendar | undefined {
  const calendar = borrowedCalendars[locale.toLowerCase().split('-')[0] ?? ''];
  if (!calendar) return undefined;
  let supported = hasDateNames.get(locale);
  if (supported === undefined) hasDateNames.set(locale, (supported = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0));
  return supported ? undefined : calendar;
}

/** Formats with English patterns and the borrowed calendar's names. */
function formatBorrowed(date: Date, calendar: BorrowedCalendar, options: Intl.DateTimeFormatOptions): string {
  const parts = dateFormat('en', options).formatToParts(date);
  return parts
    .map((part, index) => {
      switch (part.type) {
        case 'month':
          if (/^\d+$/.test(part.value)) return part.value;
          return (options.month === 'long' ? calendar.monthsLong : calendar.monthsShort)[date.getMonth()];
        case 'weekday':
          return (options.weekday === 'long' ? calendar.weekdaysLong : calendar.weekdaysShort)[date.getDay()];
        case 'dayPeriod':
          return calendar.dayPeriods[date.getHours() < 12 ? 0 : 1];
        case 'literal':
          return parts[index + 1]?.type === 'hour' && index > 0 ? calendar.dateTimeJoint : part.value;
        default:
          return part.value;
      }
    })
    .join('');
}

/** A calendar date such as "24 de noviembre de 2026"; `dateStyle` is avoided for 2019 browsers. */
export function formatDate(
  value: Date | number | string,
  locale: string,
  options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric' },
): string {
  const date = value instanceof Date ? value : new Date(value);
  const borrowed = borrowedCalendar(locale);
  return borrowed ? formatBorrowed(date, borrowed, options) : dateFormat(locale, options).format(date);
}

export function formatNumber(value: number, locale: string, options?: Intl.NumberFormatOptions): string {
  return numberFormat(locale, options).format(value);
}

/**
 * An amount held in minor units (cents) as money: 123456 USD → "$1,234.56" in English,
 * "1234,56 US$" in Spanish. Currencies without minor units (JPY) are not divided.
 */
export function formatMoney(minorUnits: number, currency: string, locale: string): string {
  const format = numberFormat(locale, { style: 'currency', currency });
  const fractionDigits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** fractionDigits);
}

/** Items joined as the language joins a list: "MMR and polio", "MMR y polio". */
export function formatList(items: readonly string[], locale: string, options: Intl.ListFormatOptions = { style: 'long', type: 'conjunction' }): string {
  return cached('list', locale, options, () => new Intl.ListFormat(locale, options)).format(items);
}
