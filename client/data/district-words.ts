/**
 * Names the district defines (courses, terms, grading tasks, categories, fees, standards) in the
 * reader's language, as district staff translated them (server/routes/district-words.ts). The
 * records keep the names as written; screens show `districtWord(name)`, which falls back to the
 * name as written when there is no translation (or the reader reads English).
 *
 * The reader's list is fetched when someone is signed in and when the language changes, and kept
 * in localStorage on the person's own device so it shows offline (the sign-out wipe removes every
 * `homeroom.` key); a shared computer keeps it in memory only. Screens re-render when it arrives
 * (I18nController listens for DISTRICT_WORDS_EVENT).
 */
import { currentLanguage, onLanguageChanged } from '../app/i18n.ts';
import type { DistrictWords } from '../../server/contract/district-words.ts';
import { authorizedFetch, currentMe, subscribeSession } from './session.ts';
import { onSharedDevice } from './shared-device.ts';

/** Also named in client/app/i18n-controller.ts, which the sign-in screen loads without this module. */
export const DISTRICT_WORDS_EVENT = 'homeroom-district-words';
const STORAGE_KEY = 'homeroom.districtWords';

interface Held extends DistrictWords {
  districtId: string;
}

let held: Held | undefined;

/** `name` in the reader's language, or as written. */
export function districtWord(name: string): string;
export function districtWord(name: string | null): string | null;
export function districtWord(name: string | null): string | null {
  if (name === null || !held || held.lang !== currentLanguage()) return name;
  return held.words[name] ?? name;
}

function announce(): void {
  window.dispatchEvent(new Event(DISTRICT_WORDS_EVENT));
}

function readStored(districtId: string, lang: string): Held | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Held | null;
    return stored && stored.districtId === districtId && stored.lang === lang && typeof stored.words === 'object' ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** The signed-in reader's list in the current language: from this device at once, then from the server. */
export function loadDistrictWords(): Promise<void> {
  const me = currentMe();
  const lang = currentLanguage();
  if (!me) return Promise.resolve();
  if (lang === 'en') {
    held = { districtId: me.districtId, lang, words: {} };
    announce();
    return Promise.resolve();
  }
  if (!onSharedDevice() && (held?.lang !== lang || held.districtId !== me.districtId)) {
    const stored = readStored(me.districtId, lang);
    if (stored) {
      held = stored;
      announce();
    }
  }
  return (async () => {
    try {
      const response = await authorizedFetch(`/api/district/words?lang=${lang}`);
      if (!response.ok) return;
      const body = (await response.json()) as DistrictWords;
      // Signed out, someone else signed in, or the language changed while it came.
      if (currentMe()?.districtId !== me.districtId || currentLanguage() !== body.lang) return;
      held = { districtId: me.districtId, lang: body.lang, words: body.words };
      if (!onSharedDevice()) {
        try {
          localStorage.setItem(STORAGE_KEY, JSON.stringify(held));
        } catch {
          // Storage full or blocked: the list stays in memory for this page.
        }
      }
      announce();
    } catch {
      // Offline: the stored list (or the names as written) stays.
    }
  })();
}

/** Follows the session and the language from the moment a screen that shows district names is loaded. */
function followDistrictWords(): void {
  subscribeSession((me, event) => {
    if (me && (event === 'signed-in' || event === 'restored')) void loadDistrictWords();
    if (!me) held = undefined; // signed out: the next person's list is their own
  });
  onLanguageChanged(() => void loadDistrictWords());
  if (currentMe()) void loadDistrictWords();
}
followDistrictWords();
