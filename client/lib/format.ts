/**
 * Dates, numbers and money in the reader's language. Pure: the caller passes the locale
 * (usually `currentLanguage()`), so these work the same in views, tests and e-mails.
 */

/** A calendar date such as "24 de noviembre de 2026"; `dateStyle` is avoided for 2019 browsers. */
export function formatDate(
  value: Date | number | string,
  locale: string,
  options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric' },
): string {
  const date = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(locale, options).format(date);
}

export function formatNumber(value: number, locale: string, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, options).format(value);
}

/**
 * An amount held in minor units (cents) as money: 123456 USD → "$1,234.56" in English,
 * "1234,56 US$" in Spanish. Currencies without minor units (JPY) are not divided.
 */
export function formatMoney(minorUnits: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const fractionDigits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** fractionDigits);
}
