/**
 * Names the district defines, in the families' languages: district staff translate them, every
 * signed-in person reads their language's list, and nobody else changes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFixture, call, signIn, type AppFixture } from '../test/app-fixture.ts';
import type { DistrictName, DistrictWords } from '../contract/district-words.ts';

let f: AppFixture;
let guardian: string;
let admin: string;
beforeAll(async () => {
  f = await appFixture();
  guardian = (await signIn(f.app, f.district.demoUsernames.guardian)).token;
  admin = (await signIn(f.app, f.district.demoUsernames.admin)).token;
});
afterAll(async () => {
  await f.close();
});

/** The courses and terms demo-guardian's children take, as the server holds them. */
async function childrenNames(): Promise<string[]> {
  const rows = await f.store.query<{ name: string }>(
    `SELECT DISTINCT c.name FROM accounts a JOIN guardianships g ON g.district_id = a.district_id AND g.guardian_person_id = a.person_id
       JOIN section_enrollments r ON r.district_id = g.district_id AND r.student_id = g.student_id
       JOIN sections s ON s.district_id = r.district_id AND s.id = r.section_id
       JOIN courses c ON c.district_id = s.district_id AND c.id = s.course_id
      WHERE a.username = $1
     UNION SELECT DISTINCT t.name FROM accounts a JOIN guardianships g ON g.district_id = a.district_id AND g.guardian_person_id = a.person_id
       JOIN section_enrollments r ON r.district_id = g.district_id AND r.student_id = g.student_id
       JOIN sections s ON s.district_id = r.district_id AND s.id = r.section_id
       JOIN terms t ON t.district_id = s.district_id AND t.id = s.term_id
      WHERE a.username = $1`,
    [f.district.demoUsernames.guardian],
  );
  return rows.map((row) => row.name);
}

describe('a family reads the district names in its language', () => {
  it('has every course and term of her children in Spanish, Somali and Vietnamese', async () => {
    const names = await childrenNames();
    expect(names.length).toBeGreaterThan(5);
    for (const lang of ['es', 'so', 'vi'] as const) {
      const reply = await call<DistrictWords>(f.app, 'GET', `/api/district/words?lang=${lang}`, { token: guardian });
      expect(reply.status).toBe(200);
      expect(reply.body.lang).toBe(lang);
      const missing = names.filter((name) => !reply.body.words[name]);
      expect(missing).toEqual([]);
    }
    const es = await call<DistrictWords>(f.app, 'GET', '/api/district/words?lang=es', { token: guardian });
    expect(es.body.words['Quarter 1']).toBe('Trimestre 1');
    expect(es.body.words['Semester 2']).toBe('Semestre 2');
  });

  it('every name in use in the demo district is translated into all three languages', async () => {
    const reply = await call<{ names: DistrictName[] }>(f.app, 'GET', '/api/district/words/names', { token: admin });
    expect(reply.status).toBe(200);
    const kinds = new Set(reply.body.names.flatMap((name) => name.kinds));
    expect([...kinds].sort()).toEqual(['category', 'course', 'fee', 'grading_task', 'period', 'room', 'standard', 'term']);
    const untranslated = reply.body.names.filter((name) => !name.translations.es || !name.translations.so || !name.translations.vi).map((name) => name.source);
    expect(untranslated).toEqual([]);
  });

  it('English is the names as written, and another language or no session is refused', async () => {
    const en = await call<DistrictWords>(f.app, 'GET', '/api/district/words?lang=en', { token: guardian });
    expect(en.status).toBe(200);
    expect(en.body.words).toEqual({});
    const french = await call(f.app, 'GET', '/api/district/words?lang=fr', { token: guardian });
    expect(french.status).toBe(400);
    expect(french.body.error.code).toBe('validation_failed');
    expect((await call(f.app, 'GET', '/api/district/words?lang=es')).status).toBe(401);
  });
});

describe('only district staff who write to families change the names', () => {
  it('refuses a guardian, a teacher and a principal whose announcements right is for one school', async () => {
    const others = [guardian, (await signIn(f.app, f.district.demoUsernames.teacher)).token, (await signIn(f.app, f.district.demoUsernames.principal)).token];
    for (const token of others) {
      expect((await call(f.app, 'GET', '/api/district/words/names', { token })).status).toBe(403);
      const put = await call(f.app, 'PUT', '/api/district/words/names', { token, body: { source: 'Biology', translations: { so: 'Xasuuq' } } });
      expect(put.status).toBe(403);
      expect(put.body.error.code).toBe('forbidden');
    }
    const es = await call<DistrictWords>(f.app, 'GET', '/api/district/words?lang=so', { token: guardian });
    expect(es.body.words.Biology).toBe('Bayoloji');
  });

  it('sets, changes and removes one language of a name, audited, and readers see it at once', async () => {
    const set = await call<{ name: DistrictName }>(f.app, 'PUT', '/api/district/words/names', { token: admin, body: { source: 'Biology', translations: { so: 'Cilmiga Noolaha' } } });
    expect(set.status).toBe(200);
    expect(set.body.name).toEqual({ source: 'Biology', kinds: ['course'], translations: { es: 'Biología', so: 'Cilmiga Noolaha', vi: 'Sinh học' } });
    expect((await call<DistrictWords>(f.app, 'GET', '/api/district/words?lang=so', { token: guardian })).body.words.Biology).toBe('Cilmiga Noolaha');

    const removed = await call<{ name: DistrictName }>(f.app, 'PUT', '/api/district/words/names', { token: admin, body: { source: 'Biology', translations: { vi: null, so: '' } } });
    expect(removed.body.name.translations).toEqual({ es: 'Biología' });
    expect((await call<DistrictWords>(f.app, 'GET', '/api/district/words?lang=vi', { token: guardian })).body.words.Biology).toBeUndefined();

    const audited = await f.store.query<{ action: string; new_values: { translations?: Record<string, string> } | null }>(
      `SELECT t.action, t.new_values FROM audit_trail t JOIN district_words w ON w.district_id = t.district_id AND w.id = t.row_id
        WHERE t.table_name = 'district_words' AND w.source = 'Biology' ORDER BY t.id`,
    );
    expect(audited.map((row) => row.action)).toEqual(['update', 'update']);
    expect(audited[1]!.new_values?.translations).toEqual({ es: 'Biología' });

    const none = await call<{ name: DistrictName }>(f.app, 'PUT', '/api/district/words/names', { token: admin, body: { source: 'Biology', translations: { es: null } } });
    expect(none.body.name.translations).toEqual({});
    expect(await f.store.query(`SELECT 1 FROM district_words WHERE source = 'Biology'`)).toEqual([]);
    await call(f.app, 'PUT', '/api/district/words/names', { token: admin, body: { source: 'Biology', translations: { es: 'Biología', so: 'Bayoloji', vi: 'Sinh học' } } });
  });

  it('refuses a name the district does not use, an unknown language and text that is too long or empty', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ source: 'Underwater Basket Weaving', translations: { es: 'Cestería submarina' } }, 404, 'not_found'],
      [{ source: 'Biology', translations: { fr: 'Biologie' } }, 400, 'validation_failed'],
      [{ source: 'Biology', translations: { es: 'x'.repeat(401) } }, 400, 'validation_failed'],
      [{ source: 'Biology', translations: { es: '   ' } }, 400, 'validation_failed'],
      [{ source: 'Biology', translations: { es: 7 } }, 400, 'validation_failed'],
      [{ source: 'Biology', translations: ['es'] }, 400, 'validation_failed'],
      [{ source: 'Biology', translations: {}, extra: true }, 400, 'validation_failed'],
      [{ translations: {} }, 400, 'validation_failed'],
    ];
    for (const [body, status, error] of cases) {
      const reply = await call(f.app, 'PUT', '/api/district/words/names', { token: admin, body });
      expect([JSON.stringify(body), reply.status, reply.body.error.code]).toEqual([JSON.stringify(body), status, error]);
    }
    expect((await call(f.app, 'PUT', '/api/district/words/names', { token: admin, raw: '{' })).status).toBe(400);
    expect((await call<DistrictWords>(f.app, 'GET', '/api/district/words?lang=es', { token: guardian })).body.words.Biology).toBe('Biología');
  });
});
