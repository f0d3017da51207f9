/**
 * Names the district defines, in the families' languages (issue 13, "school words in the
 * family's language"). Courses, terms and grading periods, grading tasks, assignment categories,
 * fee descriptions and standards are written in the district's records in English; district
 * staff holding the district-wide announcements right (who write to families) translate them
 * here, and every signed-in person's device shows them in the reader's language, falling back to
 * the name as written.
 *
 * - `GET /api/district/words?lang=so`: the reader's list (name as written → translation).
 * - `GET /api/district/words/names`: every name in use, where it is used, and its translations.
 * - `PUT /api/district/words/names`: sets or removes one name's translations (audited).
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { audit } from '../access/access-log.ts';
import { requireAuth } from '../access/authenticate.ts';
import { canUseTool } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import type { AppEnv } from '../app.ts';
import {
  MAX_DISTRICT_WORD, TRANSLATED_LANGUAGES,
  type DistrictName, type DistrictNameUpdate, type DistrictWordKind, type DistrictWords, type TranslatedLanguage,
} from '../contract/district-words.ts';
import type { Queryable } from '../db/store.ts';
import { NAMES_IN_USE_SQL } from '../domain/district-names.ts';
import { ApiError } from '../errors.ts';
import { readJsonObject } from './validate.ts';

/** Who translates the district's names: district-wide communications (the announcements right for the whole district). */
function mayTranslate(principal: Principal): boolean {
  return canUseTool(principal, 'announcements', null);
}

type Translations = Partial<Record<TranslatedLanguage, string>>;

/** A PUT body: the name and, per language, a text (trimmed, 1–400 characters) or null/'' to remove it. */
function parseUpdate(body: Record<string, unknown>): DistrictNameUpdate {
  const invalid: string[] = [];
  const unknown = Object.keys(body).filter((key) => key !== 'source' && key !== 'translations');
  if (unknown.length > 0) invalid.push(...unknown);
  const source = body.source;
  if (typeof source !== 'string' || source.length === 0 || source.length > MAX_DISTRICT_WORD || source.includes('\u0000')) invalid.push('source');
  const translations: DistrictNameUpdate['translations'] = {};
  const given = body.translations;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) invalid.push('translations');
  else {
    for (const [lang, value] of Object.entries(given)) {
      if (!(TRANSLATED_LANGUAGES as readonly string[]).includes(lang)) invalid.push(`translations.${lang}`);
      else if (value === null || value === '') translations[lang as TranslatedLanguage] = null;
      else if (typeof value !== 'string' || value.trim().length === 0 || value.trim().length > MAX_DISTRICT_WORD || value.includes('\u0000')) invalid.push(`translations.${lang}`);
      else translations[lang as TranslatedLanguage] = value.trim();
    }
  }
  if (invalid.length > 0) throw new ApiError(400, 'validation_failed', { fields: invalid });
  return { source: source as string, translations };
}

async function namesInUse(db: Queryable, districtId: string, source?: string): Promise<DistrictName[]> {
  const rows = await db.query<{ source: string; kinds: DistrictWordKind[]; translations: Translations | null }>(
    `WITH used AS (
       SELECT n.source, array_agg(DISTINCT n.kind ORDER BY n.kind) AS kinds
         FROM (${NAMES_IN_USE_SQL}) n ${source === undefined ? '' : 'WHERE n.source = $2'} GROUP BY n.source
     )
     SELECT u.source, u.kinds, w.translations
       FROM used u LEFT JOIN district_words w ON w.district_id = $1 AND w.source = u.source
      ORDER BY u.kinds[1], u.source`,
    source === undefined ? [districtId] : [districtId, source],
  );
  return rows.map((row) => ({ source: row.source, kinds: row.kinds, translations: row.translations ?? {} }));
}

export function districtWordRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  app.get('/', async (c) => {
    const asked = c.req.query('lang') ?? 'en';
    if (asked !== 'en' && !(TRANSLATED_LANGUAGES as readonly string[]).includes(asked)) throw new ApiError(400, 'validation_failed', { fields: ['lang'] });
    const lang = asked as DistrictWords['lang'];
    const principal = c.get('principal');
    const words: Record<string, string> = {};
    if (lang !== 'en') {
      const rows = await c.get('deps').store.query<{ source: string; text: string }>(
        `SELECT source, translations ->> $2 AS text FROM district_words WHERE district_id = $1 AND translations ? $2 ORDER BY source`,
        [principal.districtId, lang],
      );
      for (const row of rows) words[row.source] = row.text;
    }
    c.header('Cache-Control', 'private, no-cache');
    return c.json({ lang, words } satisfies DistrictWords);
  });

  app.get('/names', async (c) => {
    const principal = c.get('principal');
    if (!mayTranslate(principal)) throw new ApiError(403, 'forbidden');
    return c.json({ names: await namesInUse(c.get('deps').store, principal.districtId) });
  });

  app.put('/names', async (c) => {
    const principal = c.get('principal');
    if (!mayTranslate(principal)) throw new ApiError(403, 'forbidden');
    const update = parseUpdate(await readJsonObject(c));
    const { store, clock } = c.get('deps');
    const name = await store.transaction(async (tx) => {
      const [used] = await namesInUse(tx, principal.districtId, update.source);
      if (!used) throw new ApiError(404, 'not_found', { fields: ['source'] });
      const [stored] = await tx.query<{ id: string; translations: Translations }>(
        `SELECT id, translations FROM district_words WHERE district_id = $1 AND source = $2 FOR UPDATE`,
        [principal.districtId, update.source],
      );
      const next: Translations = { ...stored?.translations };
      for (const lang of TRANSLATED_LANGUAGES) {
        const value = update.translations[lang];
        if (value === null) delete next[lang];
        else if (value !== undefined) next[lang] = value;
      }
      const now = clock();
      const id = stored?.id ?? randomUUID();
      const entry = { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'district_words', rowId: id };
      if (Object.keys(next).length === 0) {
        if (stored) {
          await tx.query(`DELETE FROM district_words WHERE district_id = $1 AND id = $2`, [principal.districtId, id]);
          await audit(tx, { ...entry, action: 'delete', oldValues: { source: update.source, translations: stored.translations }, newValues: null }, now);
        }
      } else if (stored) {
        await tx.query(
          `UPDATE district_words SET translations = $3, updated_by_account_id = $4, updated_at = $5 WHERE district_id = $1 AND id = $2`,
          [principal.districtId, id, next, principal.accountId, now],
        );
        await audit(tx, { ...entry, action: 'update', oldValues: { translations: stored.translations }, newValues: { translations: next } }, now);
      } else {
        await tx.query(
          `INSERT INTO district_words (district_id, id, source, translations, updated_by_account_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [principal.districtId, id, update.source, next, principal.accountId, now],
        );
        await audit(tx, { ...entry, action: 'insert', oldValues: null, newValues: { source: update.source, translations: next } }, now);
      }
      return { ...used, translations: next } satisfies DistrictName;
    });
    return c.json({ name });
  });
  return app;
}
