import { randomUUID } from 'node:crypto';
import { nextCheckpoint, pageAfter, pullBase } from './pager.ts';
import { pushedDocumentCheck } from './pushed-document.ts';
import type { Principal } from '../access/principal.ts';
import {
  CONTACT_PURPOSES,
  profileSchema,
  type ContactPreference,
  type HouseholdAddress,
  type HouseholdMember,
  type HouseholdPhone,
  type ProfileDocument,
} from '../contract/sync/profile.ts';
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
  const documents = rows.map((row) => {
    const household = households.get(row.id);
    return household ? { ...household, _deleted: false } : tombstone(row.id);
  });
  return { documents, checkpoint: nextCheckpoint(rows, checkpoint, base) };
}

/** The household documents as each viewer may see them (guardians all of it, students the minimal view). */
async function loadHouseholds(db: Queryable, principal: Principal, viewers: Map<string, ViewerRole>): Promise<Map<string, ProfileDocument>> {
  const ids = [...viewers.keys()];
  if (ids.length === 0) return new Map();
  const params = [principal.districtId, ids];
  const [households, members, addresses, phones, preferences] = await Promise.all([
    db.query<{ id: string; name: string; primary_language: ProfileDocument['primaryLanguage'] }>(
      `SELECT id, name, primary_language FROM households WHERE district_id = $1 AND id = ANY($2::uuid[])`,
      params,
    ),
    db.query<{ household_id: string; person_id: string; student_id: string | null; first_name: string; last_name: string; preferred_name: string | null; role: HouseholdMember['role']; relationship: string | null; email: string | null }>(
      `SELECT x.household_id, x.person_id, s.id AS student_id, p.first_name, p.last_name, p.preferred_name, x.role, p.email,
              (SELECT g.relationship FROM guardianships g
                 JOIN students c ON c.district_id = g.district_id AND c.id = g.student_id
                 JOIN household_members y ON y.district_id = c.district_id AND y.person_id = c.person_id AND y.household_id = x.household_id AND NOT y.deleted
                WHERE g.district_id = x.district_id AND g.guardian_person_id = x.person_id AND NOT g.deleted
                ORDER BY g.contact_order, g.id LIMIT 1) AS relationship
         FROM household_members x
         JOIN people p ON p.district_id = x.district_id AND p.id = x.person_id
         LEFT JOIN students s ON s.district_id = x.district_id AND s.person_id = x.person_id AND NOT s.deleted
        WHERE x.district_id = $1 AND x.household_id = ANY($2::uuid[]) AND NOT x.deleted`,
      params,
    ),
    db.query<{ household_id: string; id: string; kind: HouseholdAddress['kind']; line1: string; line2: string | null; city: string; region: string; postal_code: string }>(
      `SELECT household_id, id, kind, line1, line2, city, region, postal_code FROM addresses WHERE district_id = $1 AND household_id = ANY($2::uuid[]) AND NOT deleted`,
      params,
    ),
    db.query<{ household_id: string; id: string; person_id: string | null; kind: HouseholdPhone['kind']; number: string; sms_ok: boolean }>(
      `SELECT ph.household_id, ph.id, NULL::uuid AS person_id, ph.kind, ph.number, ph.sms_ok FROM phones ph
        WHERE ph.district_id = $1 AND ph.household_id = ANY($2::uuid[]) AND NOT ph.deleted
       UNION ALL
       SELECT x.household_id, ph.id, ph.person_id, ph.kind, ph.number, ph.sms_ok FROM phones ph
         JOIN household_members x ON x.district_id = ph.district_id AND x.person_id = ph.person_id AND NOT x.deleted
        WHERE ph.district_id = $1 AND x.household_id = ANY($2::uuid[]) AND NOT ph.deleted`,
      params,
    ),
    db.query<{ household_id: string; person_id: string; purpose: ContactPreference['purpose']; voice: boolean; sms: boolean; email: boolean }>(
      `SELECT x.household_id, c.person_id, c.purpose, c.voice, c.sms, c.email FROM contact_preferences c
         JOIN household_members x ON x.district_id = c.district_id AND x.person_id = c.person_id AND x.role = 'guardian' AND NOT x.deleted
        WHERE c.district_id = $1 AND x.household_id = ANY($2::uuid[]) AND NOT c.deleted`,
      params,
    ),
  ]);
  const documents = new Map<string, ProfileDocument>();
  for (const h of households) {
    const student = viewers.get(h.id) === 'student';
    // A student's view is minimal: no other member's e-mail, own phone or contact preferences.
    const shown = (personId: string | null) => !student || personId === null || personId === principal.personId;
    const householdMembers = members.filter((m) => m.household_id === h.id);
    const chosen = preferences.filter((p) => p.household_id === h.id);
    const contactPreferences = student
      ? []
      : householdMembers.filter((m) => m.role === 'guardian').flatMap((m) =>
          CONTACT_PURPOSES.map((purpose) => {
            const row = chosen.find((p) => p.person_id === m.person_id && p.purpose === purpose);
            return { personId: m.person_id, purpose, ...(row ? { voice: row.voice, sms: row.sms, email: row.email } : DEFAULT_CHANNELS) };
          }),
        );
    documents.set(h.id, canonical({
      id: h.id,
      name: h.name,
      primaryLanguage: h.primary_language,
      members: householdMembers.map((m) => ({
        personId: m.person_id, studentId: m.student_id, firstName: m.first_name, lastName: m.last_name, preferredName: m.preferred_name,
        role: m.role, relationship: m.relationship, email: shown(m.person_id) ? m.email : null,
      })),
      addresses: addresses.filter((a) => a.household_id === h.id).map((a) => ({ id: a.id, kind: a.kind, line1: a.line1, line2: a.line2, city: a.city, region: a.region, postalCode: a.postal_code })),
      phones: phones.filter((p) => p.household_id === h.id && shown(p.person_id)).map((p) => ({ id: p.id, personId: p.person_id, kind: p.kind, number: p.number, smsOk: p.sms_ok })),
      contactPreferences,
      syncError: null,
    }));
  }
  return documents;
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
