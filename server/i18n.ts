import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type Resource } from 'i18next';

export const LANGUAGES = ['en', 'es', 'so', 'vi'] as const;
export type Language = (typeof LANGUAGES)[number];

const localesDir = fileURLToPath(new URL('../locales/', import.meta.url));

/** The server's translations (errors, e-mails, letters), read once from `locales/`. */
export function createTranslator(namespaces: readonly string[] = ['errors']): i18n {
  const resources: Resource = {};
  for (const language of LANGUAGES) {
    resources[language] = {};
    const files = new Set(readdirSync(localesDir + language));
    for (const ns of namespaces) {
      if (files.has(`${ns}.json`)) resources[language]![ns] = JSON.parse(readFileSync(`${localesDir}${language}/${ns}.json`, 'utf8'));
    }
  }
  const instance = i18next.createInstance();
  void instance.init({ resources, lng: 'en', fallbackLng: 'en', ns: [...namespaces], defaultNS: namespaces[0], initAsync: false, interpolation: { escapeValue: false } });
  return instance;
}

/** A translator for one language and namespace; keys are checked by the locale tests. */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

export function fixedTranslate(instance: i18n, language: Language, namespace: string): Translate {
  const t = instance.t as unknown as (key: string, options: Record<string, unknown>) => string;
  return (key, values) => t(key, { ...values, lng: language, ns: namespace });
}

/** Picks our best language from an Accept-Language header (e.g. "so-SO,so;q=0.9,en;q=0.5"). */
export function pickLanguage(header: string | undefined | null): Language {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked.find((entry) => (LANGUAGES as readonly string[]).includes(entry.base))?.base as Language | undefined) ?? 'en';
}
