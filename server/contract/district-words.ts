/**
 * Names the district defines, in the families' languages (`GET /api/district/words`), and the
 * district staff's list to translate them (`GET|PUT /api/district/words/names`). Shared with the client.
 */

/** Where a name is used; the staff screen groups names by it. */
export const DISTRICT_WORD_KINDS = ['course', 'term', 'grading_task', 'category', 'fee', 'standard', 'period', 'room'] as const;
export type DistrictWordKind = (typeof DISTRICT_WORD_KINDS)[number];

/** The languages a name is translated into (English is the name as written). */
export const TRANSLATED_LANGUAGES = ['es', 'so', 'vi'] as const;
export type TranslatedLanguage = (typeof TRANSLATED_LANGUAGES)[number];

export const MAX_DISTRICT_WORD = 400;

/** A reader's list: the name as written → its translation, for one language. */
export interface DistrictWords {
  lang: 'en' | TranslatedLanguage;
  words: Record<string, string>;
}

/** One name in use in the district's records, with its translations so far. */
export interface DistrictName {
  source: string;
  kinds: DistrictWordKind[];
  translations: Partial<Record<TranslatedLanguage, string>>;
}

/** `PUT /api/district/words/names`: a language set to null or '' removes that translation. */
export interface DistrictNameUpdate {
  source: string;
  translations: Partial<Record<TranslatedLanguage, string | null>>;
}
