/**
 * Translations: i18next with English for the sign-in screen bundled, and every other
 * language or namespace imported on first use from `locales/<language>/<namespace>.json`.
 */
import i18next, { type BackendModule, type ParseKeys, type ResourceKey } from 'i18next';
import common from '../../locales/en/common.json';
import signin from '../../locales/en/signin.json';
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
  signin: typeof signin;
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

/** Namespaces the first screen needs; English copies ship in the main bundle. */
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

/** `import()` with a template path: Vite turns it into one chunk per file, the test server serves the file. */
function importLocale(language: Language, namespace: string): Promise<ResourceKey> {
  return import(`../../locales/${language}/${namespace}.json`).then(
    (module: { default: ResourceKey }) => module.default,
  );
}

const localeBackend: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, callback) {
    if (!isLanguage(language) || !/^[a-z][a-z0-9-]*$/.test(namespace)) {
      callback(new Error(`No translations for ${language}/${namespace}`), false);
      return;
    }
    importLocale(language, namespace).then(
      (resources) => callback(null, resources),
      (error: Error) => callback(error, false),
    );
  },
};

function applyDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
  document.documentElement.dir = i18next.dir(language);
}

let initialization: Promise<void> | undefined;

/** Starts i18next once; resolves when the chosen language's startup namespaces are loaded. */
export function initI18n(language: Language = detectLanguage()): Promise<void> {
  initialization ??= i18next
    .use(localeBackend)
    .init({
      lng: language,
      fallbackLng: sourceLanguage,
      supportedLngs: languages,
      load: 'languageOnly',
      ns: startupNamespaces,
      defaultNS: 'common',
      resources: { en: { common, signin } },
      partialBundledLanguages: true,
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
  const language = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(language) ? language : sourceLanguage;
}

/** Switches every rendered element to `language` and remembers the choice on this device. */
export async function setLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // The choice still applies to this visit.
  }
}

/** Loads a view's namespaces in the current language (and English, the fallback). */
export function loadNamespaces(namespaces: readonly Namespace[]): Promise<void> {
  return i18next.loadNamespaces(namespaces);
}

export const t = i18next.t.bind(i18next);
