/**
 * Formats a date (with the pattern generator's weekday, month and time) and a number in the
 * language it is sent, and in English (client/lib/format.ts formats Somali dates with English
 * patterns), then answers `true`: client/lib/intl-warm.ts. No imports, so it runs as a classic worker.
 */
self.onmessage = (event: MessageEvent<unknown>) => {
  let warmed = false;
  try {
    const language = typeof event.data === 'string' ? event.data : 'en';
    for (const locale of new Set([language, 'en'])) {
      new Intl.DateTimeFormat(locale, { weekday: 'short', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(Date.now());
      new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(0.5);
    }
    warmed = true;
  } catch {
    // a language the browser does not know: the page will format in its fallback as before
  }
  self.postMessage(warmed);
};
