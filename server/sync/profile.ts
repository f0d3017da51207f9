import { randomUUID } from 'node:crypto';
import { nextCheckpoint, pageAfter, pullBase } from './pager.ts';
import { pushedDocumentCheck } from './pushed-document.ts';
import type { Principal } from '../access/principal.ts';
import { CONTACT_PURPOSES, profileSchema, type ContactPreference, type ProfileDocument } from '../contract/sync/profile.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import { tombstones } from './tombstone.ts';
import type { Queryable } from '../db/store.ts';
import { pushPipeline, type PushContext, type Pushed } from './push-pipeline.ts';
import { NO_ID } from '../domain/ids.ts';

export type PulledProfile = ProfileDocument & { _deleted: boolean };

type ViewerRole = 'guardian' | 'student';

/** What a guardian gets before choosing (the contact_preferences column defaults). */
const DEFAULT_CHANNELS = { voice: true, sms: false, email: true } as const;

/** Nothing about the household travels once the person is no longer in it. */
const tombstone = tombstones<ProfileDocument>(profileSchema);

/**
 * Households whose documents changed for this user after the checkpoint: those the person is a
 * guardian or student member of. The order key is the greatest seq of the membership, the
 * household, every member row and person, their student records and guardianships, the
 * addresses, household and members' phones and contact preferences, so any change reaches
 * every device that shows it, and leaving a household sends a blank tombstone.
 */
export async function pullProfile(db: Queryable, principal: Principal, _today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledProfile[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<{ id: string; role: string; visible: boolean; eff_seq: number }>(
    `WITH mine AS (
       SELECT hm.household_id AS id, hm.role, (NOT hm.deleted AND hm.role IN ('guardian', 'student') AND NOT h.deleted) AS visible, greatest(hm.seq, h.seq) AS seq
         -- Rows by key (OFFSET 0 keeps them unflattened): planned generically, households and students were read whole and hashed.
         FROM household_members hm CROSS JOIN LATERAL (SELECT * FROM households h WHERE h.district_id = hm.district_id AND h.id = hm.household_id OFFSET 0) h
        WHERE hm.district_id = $1 AND hm.person_id = $2
     ),
     -- MATERIALIZED: each subquery once per household, not once per use of eff_seq below.
     documents AS MATERIALIZED (
       SELECT m.id, m.role, m.visible, greatest(m.seq,
         (SELECT max(greatest(x.seq, p.seq, s.seq)) FROM household_members x
            JOIN people p ON p.district_id = x.district_id AND p.id = x.person_id
            LEFT JOIN LATERAL (SELECT s.seq FROM students s WHERE s.district_id = x.district_id AND s.person_id = x.person_id OFFSET 0) s ON true
           WHERE x.district_id = $1 AND x.household_id = m.id),
         (SELECT max(a.seq) FROM addresses a WHERE a.district_id = $1 AND a.household_id = m.id),
         (SELECT max(ph.seq) FROM phones ph WHERE ph.district_id = $1 AND ph.household_id = m.id),
         (SELECT max(ph.seq) FROM household_members x JOIN phones ph ON ph.district_id = x.district_id AND ph.person_id = x.person_id
           WHERE x.district_id = $1 AND x.household_id = m.id),
         (SELECT max(c.seq) FROM household_members x JOIN contact_preferences c ON c.district_id = x.district_id AND c.person_id = x.person_id
           WHERE x.district_id = $1 AND x.household_id = m.id),
         (SELECT max(g.seq) FROM household_members x JOIN guardianships g ON g.district_id = x.district_id AND g.guardian_person_id = x.person_id
           WHERE x.district_id = $1 AND x.household_id = m.id)
       ) AS eff_seq
         FROM mine m
     )
     SELECT * FROM documents WHERE ${pageAfter('eff_seq', 'id', 'visible', { seq: 3, id: 4, base: 6 })} ORDER BY eff_seq, id LIMIT $5`,
    [principal.districtId, principal.personId, checkpoint?.seq ?? 0, checkpoint?.id ?? NO_ID, limit, base],
  );
  const viewers = new Map(rows.filter((r) => r.visible).map((r) => [r.id, r.role as ViewerRole]));
  const households = await loadHouseholds(db, principal, viewers);
  const documents = rows.map((row) => (households.has(row.id) ? { ...households.get(row.id)!, _deleted: false } : tombstone(row.id)));
  return { documents, checkpoint: nextCheckpoint(rows, checkpoint, base) };
}

/**
 * The household documents as each viewer may see them (guardians all of it, students the minimal
 * view: no other member's e-mail, own phone or contact preferences), in one statement. Each
 * guardian has a contact preference for every purpose: one she never chose reads as the
 * contact_preferences column defaults.
 */
async function loadHouseholds(db: Queryable, principal: Principal, viewers: Map<string, ViewerRole>): Promise<Map<string, ProfileDocument>> {
  if (viewers.size === 0) return new Map();
  const rows = await db.query<ProfileDocument>(
    `SELECT h.id, h.name, h.primary_language AS "primaryLanguage",
            coalesce((SELECT json_agg(json_build_object('personId', x.person_id, 'studentId', s.id, 'firstName', p.first_name, 'lastName', p.last_name,
                        'preferredName', p.preferred_name, 'role', x.role, 'relationship',
                        (SELECT g.relationship FROM guardianships g
                           JOIN students c ON c.district_id = g.district_id AND c.id = g.student_id
                           JOIN household_members y ON y.district_id = c.district_id AND y.person_id = c.person_id AND y.household_id = x.household_id AND NOT y.deleted
                          WHERE g.district_id = x.district_id AND g.guardian_person_id = x.person_id AND NOT g.deleted
                          ORDER BY g.contact_order, g.id LIMIT 1),
                        'email', CASE WHEN v.role = 'student' AND x.person_id <> $4 THEN NULL ELSE p.email END))
               FROM household_members x
               JOIN people p ON p.district_id = x.district_id AND p.id = x.person_id
               LEFT JOIN students s ON s.district_id = x.district_id AND s.person_id = x.person_id AND NOT s.deleted
              WHERE x.district_id = $1 AND x.household_id = h.id AND NOT x.deleted), '[]') AS members,
            coalesce((SELECT json_agg(json_build_object('id', a.id, 'kind', a.kind, 'line1', a.line1, 'line2', a.line2, 'city', a.city, 'region', a.region, 'postalCode', a.postal_code))
               FROM addresses a WHERE a.district_id = $1 AND a.household_id = h.id AND NOT a.deleted), '[]') AS addresses,
            coalesce((SELECT json_agg(json_build_object('id', ph.id, 'personId', ph.person_id, 'kind', ph.kind, 'number', ph.number, 'smsOk', ph.sms_ok))
               FROM (SELECT ph.* FROM phones ph WHERE ph.district_id = $1 AND ph.household_id = h.id AND NOT ph.deleted
                     UNION ALL
                     SELECT ph.* FROM household_members x JOIN phones ph ON ph.district_id = x.district_id AND ph.person_id = x.person_id AND NOT ph.deleted
                      WHERE x.district_id = $1 AND x.household_id = h.id AND NOT x.deleted) ph
              WHERE v.role <> 'student' OR ph.person_id IS NULL OR ph.person_id = $4), '[]') AS phones,
            coalesce((SELECT json_agg(json_build_object('personId', x.person_id, 'purpose', u.purpose, 'voice', coalesce(c.voice, ${DEFAULT_CHANNELS.voice}),
                        'sms', coalesce(c.sms, ${DEFAULT_CHANNELS.sms}), 'email', coalesce(c.email, ${DEFAULT_CHANNELS.email})))
               FROM household_members x CROSS JOIN unnest($5::text[]) AS u (purpose)
               LEFT JOIN contact_preferences c ON c.district_id = x.district_id AND c.person_id = x.person_id AND c.purpose = u.purpose AND NOT c.deleted
              WHERE x.district_id = $1 AND x.household_id = h.id AND x.role = 'guardian' AND NOT x.deleted AND v.role <> 'student'), '[]') AS "contactPreferences",
            NULL::text AS "syncError"
       FROM unnest($2::uuid[], $3::text[]) AS v (id, role) JOIN households h ON h.district_id = $1 AND h.id = v.id`,
    [principal.districtId, [...viewers.keys()], [...viewers.values()], principal.personId, [...CONTACT_PURPOSES]],
  );
  return new Map(rows.map((row) => [row.id, canonical(row)]));
}

/** One order for every list, so equal households compare equal field by field. */
function canonical<Doc extends ProfileDocument>(doc: Doc): Doc {
  const by = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    ...doc,
    members: [...doc.members].sort(by((m) => m.personId)),
    addresses: [...doc.addresses].sort(by((a) => `${a.kind}:${a.id}`)),
    phones: [...doc.phones].sort(by((p) => `${p.personId ?? ''}:${p.kind}:${p.id}`)),
    contactPreferences: [...doc.contactPreferences].sort(by((c) => `${c.personId}:${CONTACT_PURPOSES.indexOf(c.purpose)}`)),
  };
}

const wellFormed = pushedDocumentCheck<ProfileDocument>(profileSchema);

/** The state a push row says the device started from; null when it is not a household document. */
function assumedState(raw: unknown): PulledProfile | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const candidate = { ...raw, _deleted: (raw as { _deleted?: unknown })._deleted ?? false };
  return wellFormed(candidate) ? candidate : null;
}

/** Everything in the document but this person's own contact preferences (and the server's refusal note). */
function othersPart(doc: PulledProfile, personId: string): string {
  const { syncError, ...rest } = canonical(doc);
  void syncError;
  return JSON.stringify({ ...rest, _deleted: doc._deleted, contactPreferences: rest.contactPreferences.filter((c) => c.personId !== personId) });
}

function ownPart(doc: ProfileDocument, personId: string): ContactPreference[] {
  return canonical(doc).contactPreferences.filter((c) => c.personId === personId);
}

/** Her own household, locked and loaded as she may see it; nothing when she is not (or no longer) in it. */
async function loadHousehold({ tx, principal }: PushContext, next: Pushed<ProfileDocument>): Promise<{ master: PulledProfile | null; role: ViewerRole | null }> {
  const [membership] = await tx.query<{ role: ViewerRole }>(
    `SELECT hm.role FROM household_members hm JOIN households h ON h.district_id = hm.district_id AND h.id = hm.household_id AND NOT h.deleted
      WHERE hm.district_id = $1 AND hm.household_id = $2 AND hm.person_id = $3 AND NOT hm.deleted AND hm.role IN ('guardian', 'student')`,
    [principal.districtId, next.id, principal.personId],
  );
  if (!membership) return { master: null, role: null };
  // Her own rows stay locked until commit, so two devices cannot interleave.
  await tx.query(`SELECT id FROM contact_preferences WHERE district_id = $1 AND person_id = $2 FOR UPDATE`, [principal.districtId, principal.personId]);
  const household = (await loadHouseholds(tx, principal, new Map([[next.id, membership.role]]))).get(next.id)!;
  return { master: { ...household, _deleted: false }, role: membership.role };
}

const samePreferences = (a: ContactPreference[], b: ContactPreference[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Pushed household documents. A guardian may change only her own contact preferences; any other
 * change is refused with `needs_request` (addresses and phones change through a request the
 * office approves) and the server's state comes back.
 */
export const pushProfile = pushPipeline({
  schema: profileSchema,
  check: wellFormed,
  // Not her household (or no longer): nothing about it comes back.
  unseen: 'blank',
  load: loadHousehold,
  shown: (_context, { master }) => master,
  sameAsStored: (a, b) => othersPart(a, '') === othersPart(b, ''),
  // Compared with what the device started from (her own preferences), so a change made elsewhere meanwhile is not taken for her edit.
  same: (a, b, { principal }) => samePreferences(ownPart(a, principal.personId), ownPart(b, principal.personId)),
  authorize({ principal }, { master, role }, next, stated) {
    if (!master || role !== 'guardian') return 'not_allowed';
    // A device states it as a household document, or not at all; anything else is refused, not thrown on.
    const assumed = assumedState(stated);
    if (!assumed) return 'invalid';
    return othersPart(next, principal.personId) === othersPart(assumed, principal.personId) ? null : 'needs_request';
  },
  rules: async ({ principal }, _stored, next) => {
    const mine = ownPart(next, principal.personId);
    return mine.length !== CONTACT_PURPOSES.length || new Set(mine.map((c) => c.purpose)).size !== CONTACT_PURPOSES.length ? 'invalid' : {};
  },
  async write({ tx, principal }, { master }, next) {
    const me = principal.personId;
    const before = ownPart(master!, me);
    for (const preference of ownPart(next, me)) {
      const old = before.find((c) => c.purpose === preference.purpose);
      if (old && old.voice === preference.voice && old.sms === preference.sms && old.email === preference.email) continue;
      await tx.query(
        `INSERT INTO contact_preferences (district_id, id, person_id, purpose, voice, sms, email) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (district_id, person_id, purpose) DO UPDATE SET voice = EXCLUDED.voice, sms = EXCLUDED.sms, email = EXCLUDED.email, deleted = false`,
        [principal.districtId, randomUUID(), me, preference.purpose, preference.voice, preference.sms, preference.email],
      );
    }
    return [];
  },
});
