/**
 * Translations, each namespace imported on first use from `locales/<language>/<namespace>.json`,
 * in the chosen language only (locales/locales.test.ts checks that every language has every key,
 * so nothing falls back to English), through i18next.
 */
import i18next, { type BackendModule, type ParseKeys, type ResourceKey } from 'i18next';
import type common from '../../locales/en/common.json';
import type shell from '../../locales/en/shell.json';
import type signin from '../../locales/en/signin.json';
import type secondFactor from '../../locales/en/second-factor.json';
import type account from '../../locales/en/account.json';
import type accessLog from '../../locales/en/access-log.json';
import type claim from '../../locales/en/claim.json';
import type home from '../../locales/en/home.json';
import type portal from '../../locales/en/portal.json';
import type reports from '../../locales/en/reports.json';
import type grades from '../../locales/en/grades.json';
import type schedule from '../../locales/en/schedule.json';
import type password from '../../locales/en/password.json';
import type sync from '../../locales/en/sync.json';
import type attendance from '../../locales/en/attendance.json';
import type health from '../../locales/en/health.json';
import type fees from '../../locales/en/fees.json';
import type teacher from '../../locales/en/teacher.json';
import type office from '../../locales/en/office.json';
import type admin from '../../locales/en/admin.json';
import type today from '../../locales/en/today.json';
import type messages from '../../locales/en/messages.json';
import type family from '../../locales/en/family.json';
import type kiosk from '../../locales/en/kiosk.json';

/**
 * Every namespace, typed from its English file so a wrong key fails `tsc`.
 * A new area adds `import type area from '../../locales/en/area.json'` and a line here.
 */
type EnglishResources = {
  common: typeof common;
  shell: typeof shell;
  signin: typeof signin;
  'second-factor': typeof secondFactor;
  claim: typeof claim;
  password: typeof password;
  account: typeof account;
  'access-log': typeof accessLog;
  sync: typeof sync;
  attendance: typeof attendance;
  health: typeof health;
  fees: typeof fees;
  office: typeof office;
  admin: typeof admin;
  today: typeof today;
  messages: typeof messages;
  family: typeof family;
  home: typeof home;
  portal: typeof portal;
  reports: typeof reports;
  teacher: typeof teacher;
  grades: typeof grades;
  schedule: typeof schedule;
  kiosk: typeof kiosk;
};

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: EnglishResources;
    strictKeyChecks: true;
  }
}

export type Namespace = keyof EnglishResources;

/** Any translation key, always written with its namespace: `signin:errors.offline`. */
export type TranslationKey = Extract<ParseKeys<Namespace[]>, `${Namespace}:${string}`>;

export const languages = ['en', 'es', 'so', 'vi'] as const;
export type Language = (typeof languages)[number];

/** Each language in its own name, so people can find theirs whatever is on screen. */
export const languageNames: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  so: 'Soomaali',
  vi: 'Tiếng Việt',
};

const sourceLanguage: Language = 'en';
const storageKey = 'homeroom.lang';

/** Namespaces the first screen needs, loaded with it. */
const startupNamespaces: Namespace[] = ['common', 'signin'];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** The first supported language among the browser's preferences (`es-MX` → `es`). */
export function matchLanguage(preferences: readonly string[]): Language | undefined {
  for (const preference of preferences) {
    const primary = preference.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return undefined;
}

function readStoredLanguage(): Language | undefined {
  try {
    const stored = localStorage.getItem(storageKey);
    return isLanguage(stored) ? stored : undefined;
  } catch {
    return undefined; // storage can be blocked (privacy settings, kiosk profiles)
  }
}

/** The saved choice, else the browser's preferred languages, else English. */
export function detectLanguage(): Language {
  const preferences = navigator.languages?.length ? navigator.languages : [navigator.language];
  return readStoredLanguage() ?? matchLanguage(preferences) ?? sourceLanguage;
}

type LocaleModule = { default: ResourceKey };

/**
 * The first screen's namespaces, eight files named one by one (a template path would bring
 * Vite's variable-import helper into the entry chunk with them).
 */
const startupFiles: Record<'common' | 'signin', Record<Language, () => Promise<LocaleModule>>> = {
  common: {
    en: () => import('../../locales/en/common.json'),
    es: () => import('../../locales/es/common.json'),
    so: () => import('../../locales/so/common.json'),
    vi: () => import('../../locales/vi/common.json'),
  },
  signin: {
    en: () => import('../../locales/en/signin.json'),
    es: () => import('../../locales/es/signin.json'),
    so: () => import('../../locales/so/signin.json'),
    vi: () => import('../../locales/vi/signin.json'),
  },
};

/**
 * The first screen's namespaces straight from this module, every other one through
 * locale-files.ts (the map of all of them, a chunk of its own): the sign-in screen downloads
 * neither the big map nor a language it does not show.
 */
function importLocale(language: Language, namespace: Namespace): Promise<ResourceKey> {
  if (namespace === 'common' || namespace === 'signin') return startupFiles[namespace][language]().then((module) => module.default);
  return import('./locale-files.ts').then((files) => files.importLocale(language, namespace));
}

// ── The translator: i18next ─────────────────────────────────────────────────────────────
//
// The chosen language's namespaces only (no English fallback: locales/locales.test.ts holds every
// language to every key), read through `importLocale` above. `t` keeps one plain signature over
// i18next's, so a key is still checked against the English files by `TranslationKey`.

export type LanguageListener = (language: Language) => void;

export interface TranslateOptions {
  /** Picks the plural form (`key_one`, `key_other`, …) and fills `{{count}}`. */
  count?: number;
  /** Shown when the key has no message. */
  defaultValue?: string;
  [value: string]: unknown;
}

const localeBackend: BackendModule = {
  type: 'backend',
  init() {},
  read(lang, namespace, callback) {
    if (!isLanguage(lang) || !/^[a-z][a-z0-9-]*$/.test(namespace)) {
      callback(new Error(`No translations for ${lang}/${namespace}`), false);
      return;
    }
    importLocale(lang, namespace as Namespace).then(
      (resources) => callback(null, resources),
      (error: Error) => callback(error, false),
    );
  },
};

/** Whether `namespace` is loaded in `lang` (for tests). */
export function hasTranslations(lang: Language, namespace: Namespace): boolean {
  return i18next.hasResourceBundle(lang, namespace);
}

function applyDocumentLanguage(lang: string): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = i18next.dir(lang);
}

let initialization: Promise<void> | undefined;

/** Starts i18next once; resolves when the chosen language's startup namespaces are loaded. */
export function initI18n(lang: Language = detectLanguage()): Promise<void> {
  initialization ??= i18next
    .use(localeBackend)
    .init({
      lng: lang,
      fallbackLng: false,
      supportedLngs: languages,
      load: 'languageOnly',
      ns: startupNamespaces,
      defaultNS: 'common',
      // Lit escapes every value it renders; escaping here too would show `&amp;`.
      interpolation: { escapeValue: false },
      returnEmptyString: false,
    })
    .then(() => {
      applyDocumentLanguage(currentLanguage());
      i18next.on('languageChanged', applyDocumentLanguage);
    });
  return initialization;
}

export function currentLanguage(): Language {
  const lang = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(lang) ? lang : sourceLanguage;
}

/** Calls `listener` after every language change, once the new strings are loaded; returns the unsubscribe. */
export function onLanguageChanged(listener: LanguageListener): () => void {
  const handler = (lang: string) => listener(isLanguage(lang) ? lang : sourceLanguage);
  i18next.on('languageChanged', handler);
  return () => i18next.off('languageChanged', handler);
}

/** Switches every rendered element to `lang` (with every namespace loaded so far) and remembers the choice on this device. */
export async function setLanguage(lang: Language): Promise<void> {
  await initI18n();
  await i18next.changeLanguage(lang);
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    // The choice still applies to this visit.
  }
}

/** Loads a view's namespaces in the current language. */
export function loadNamespaces(namespaces: readonly Namespace[]): Promise<void> {
  return i18next.loadNamespaces([...namespaces]);
}

/** The message for `key` (`namespace:path`) in the current language, its `{{values}}` filled in. */
export function t(key: TranslationKey, options: TranslateOptions = {}): string {
  return i18next.t(key as never, options as never) as unknown as string;
}
