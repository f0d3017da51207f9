/**
 * Translations, each namespace imported on first use from `locales/<language>/<namespace>.json`,
 * in the chosen language only (locales/locales.test.ts checks that every language has every key,
 * so nothing falls back to English). Keys are typed with i18next's types; the runtime is our own
 * few lines (below), since i18next's would be a third of the sign-in screen's JavaScript.
 */
import type { ParseKeys, ResourceKey } from 'i18next';
import type common from '../../locales/en/common.json';
import type signin from '../../locales/en/signin.json';
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

const defaultExport = (module: { default: ResourceKey }): ResourceKey => module.default;

/**
 * The first screen's namespaces straight from this module (a map of eight files), every other
 * one through locale-files.ts (the map of all of them, a chunk of its own): the sign-in screen
 * downloads neither the big map nor a language it does not show.
 */
function importLocale(language: Language, namespace: Namespace): Promise<ResourceKey> {
  if (namespace === 'common') return import(`../../locales/${language}/common.json`).then(defaultExport);
  if (namespace === 'signin') return import(`../../locales/${language}/signin.json`).then(defaultExport);
  return import('./locale-files.ts').then((files) => files.importLocale(language, namespace));
}

// ── The translator ──────────────────────────────────────────────────────────────────────
//
// What the app used of i18next, in a few hundred bytes instead of 15 KiB gzip on the sign-in
// screen (docs/benchmarks.md): namespaced keys with dots (`signin:errors.offline`), `{{name}}`
// values written as they are (Lit escapes what it renders), plurals by `count` through
// Intl.PluralRules (`_one`, `_many`, `_other`, as i18next's JSON v4 names them), `defaultValue`,
// and a language change announced once its strings are loaded. The server keeps i18next.

type Messages = { [key: string]: string | Messages };
type Bundles = Map<string, Messages>;
export type LanguageListener = (language: Language) => void;

export interface TranslateOptions {
  /** Picks the plural form (`key_one`, `key_other`, …) and fills `{{count}}`. */
  count?: number;
  /** Shown when the key has no message. */
  defaultValue?: string;
  [value: string]: unknown;
}

let language: Language = sourceLanguage;
/** Loaded (or loading) namespaces per language. */
const bundles = new Map<Language, Map<Namespace, Promise<Messages>>>();
/** The messages ready to use: language → namespace → messages. */
const ready = new Map<Language, Bundles>();
/** Every namespace asked for so far: a new language loads them all before it shows. */
const wanted = new Set<Namespace>(startupNamespaces);
const languageListeners = new Set<LanguageListener>();

function loadNamespace(lang: Language, namespace: Namespace): Promise<Messages> {
  let loaded = bundles.get(lang);
  if (!loaded) bundles.set(lang, (loaded = new Map()));
  let promise = loaded.get(namespace);
  if (!promise) {
    promise = importLocale(lang, namespace).then((messages) => {
      let namespaces = ready.get(lang);
      if (!namespaces) ready.set(lang, (namespaces = new Map()));
      namespaces.set(namespace, messages as Messages);
      return messages as Messages;
    });
    // A failed download (offline, no service worker yet) is tried again on the next call.
    promise.catch(() => loaded.delete(namespace));
    loaded.set(namespace, promise);
  }
  return promise;
}

async function loadAll(lang: Language, namespaces: Iterable<Namespace>): Promise<void> {
  await Promise.all([...namespaces].map((namespace) => loadNamespace(lang, namespace)));
}

/** Whether `namespace` is loaded in `lang` (for tests). */
export function hasTranslations(lang: Language, namespace: Namespace): boolean {
  return ready.get(lang)?.has(namespace) ?? false;
}

function applyDocumentLanguage(lang: Language): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = 'ltr'; // English, Spanish, Somali and Vietnamese all read left to right
}

let initialization: Promise<void> | undefined;

/** Starts translations once; resolves when the chosen language's startup namespaces are loaded. */
export function initI18n(lang: Language = detectLanguage()): Promise<void> {
  initialization ??= (async () => {
    language = lang;
    applyDocumentLanguage(lang);
    await loadAll(lang, startupNamespaces);
  })();
  return initialization;
}

export function currentLanguage(): Language {
  return language;
}

/** Calls `listener` after every language change, once the new strings are loaded; returns the unsubscribe. */
export function onLanguageChanged(listener: LanguageListener): () => void {
  languageListeners.add(listener);
  return () => languageListeners.delete(listener);
}

/** Switches every rendered element to `lang` and remembers the choice on this device. */
export async function setLanguage(lang: Language): Promise<void> {
  await initI18n();
  await loadAll(lang, wanted);
  language = lang;
  applyDocumentLanguage(lang);
  for (const listener of [...languageListeners]) listener(lang);
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    // The choice still applies to this visit.
  }
}

/** Loads a view's namespaces in the current language. */
export async function loadNamespaces(namespaces: readonly Namespace[]): Promise<void> {
  for (const namespace of namespaces) wanted.add(namespace);
  await loadAll(language, namespaces);
}

const pluralRules = new Map<Language, Intl.PluralRules>();

function pluralCategory(lang: Language, count: number): string {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules.select(count);
}

function lookup(messages: Messages | undefined, path: string): string | undefined {
  let node: string | Messages | undefined = messages;
  for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' && node !== '' ? node : undefined;
}

/** The message for `key` (`namespace:path`) in the current language, its `{{values}}` filled in. */
export function t(key: TranslationKey, options: TranslateOptions = {}): string {
  const separator = key.indexOf(':');
  const namespace = separator === -1 ? 'common' : key.slice(0, separator);
  const path = key.slice(separator + 1);
  const messages = ready.get(language)?.get(namespace);
  const { count, defaultValue } = options;
  const message =
    (typeof count === 'number' ? lookup(messages, `${path}_${pluralCategory(language, count)}`) ?? lookup(messages, `${path}_other`) : undefined) ??
    lookup(messages, path) ??
    defaultValue ??
    path;
  return message.replace(/{{-?\s*([^\s}]+)\s*}}/g, (_match, name: string) => {
    const value = options[name];
    return value === undefined || value === null ? '' : String(value);
  });
}
