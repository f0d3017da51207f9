import type { Principal } from '../access/principal.ts';
import { grantsReading } from '../access/grants.ts';
import { GRANTED_PAGE, grantedPullParams, nextCheckpoint, pageAfter, pullBase } from './pager.ts';
import { BODY_MAX, messageSchema, TITLE_MAX, type MessageDocument, type Translated } from '../contract/sync/messages.ts';
import { documentsFrom, type Pulled, type PulledRow } from './pulled-document.ts';
import { tombstones } from './tombstone.ts';
import { pushedDocumentCheck } from './pushed-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { pushPipeline, type PushContext } from './push-pipeline.ts';
import { addDays } from '../domain/dates.ts';
import { UUID } from '../domain/ids.ts';

export type PulledMessage = Pulled<MessageDocument>;

/**
 * Every document of the user's inbox and sent folder with its order key. Parameters: $1 district,
 * $2 person, $3 today (pager.ts `grantedPullParams`).
 *
 * Announcements reach the user through an audience: the district (everyone), the schools of
 * their students and their own (enrollments of the students her family grants reach, guardian or
 * self in access_grants), the schools they work at, and the sections on their students' schedules
 * or that they teach; each path with its seq and whether it holds
 * today. An announcement naming grades (a district's or a school's) reaches the user only through
 * a school path whose grades meet them: a child enrolled there in one of them (the enrollment's
 * grade_level), or a school they work at that teaches one (grade_low..grade_high); for the
 * district, at any school. Such a post joins every school path at its school (any school for the
 * district's) and the grade decides `visible`, so a child moving up a grade (the enrollment's
 * grade and seq change) turns it into a tombstone or brings it, like any grant. A device beside
 * none of its grades receives its tombstone once, ids only.
 * An announcement shows only while starts_on <= today <= ends_on; past its end it
 * becomes a tombstone. A date passing changes no seq: the daily date-windows job
 * (server/sync/date-windows.ts) touches announcements, enrollments, rosters and staff rows
 * whose windows opened or closed, which brings the new documents and the tombstones.
 *
 * A message reaches its recipients (message_recipients) and its sender. A message about a
 * student shows to a recipient while her family grant of that student is in force (a guardian
 * with portal access, or the student herself): when it ends, the message becomes a tombstone.
 */
const DOCUMENTS = `
  my_students AS (${grantsReading(null, ['guardian', 'self'])}),
  -- The person's staff record, as principal.ts finds it.
  me AS (SELECT t.id FROM staff t WHERE t.district_id = $1 AND t.person_id = $2 AND t.active AND NOT t.deleted ORDER BY t.id LIMIT 1),
  audience (scope, target, seq, active, grades) AS (
    SELECT 'district', NULL::uuid, 0::bigint, true, NULL::smallint[]
    UNION ALL
    SELECT 'school', e.school_id, greatest(m.seq, e.seq), m.in_force AND NOT e.deleted AND e.start_date <= $3 AND (e.end_date IS NULL OR e.end_date >= $3), ARRAY[e.grade_level]
      FROM my_students m JOIN enrollments e ON e.district_id = $1 AND e.student_id = m.student_id
    UNION ALL
    SELECT 'section', r.section_id, greatest(m.seq, r.seq), m.in_force AND NOT r.deleted AND r.start_date <= $3 AND (r.end_date IS NULL OR r.end_date >= $3), NULL
      FROM my_students m JOIN section_enrollments r ON r.district_id = $1 AND r.student_id = m.student_id
    UNION ALL
    SELECT 'school', k.id, greatest(l.seq, k.seq), NOT l.deleted AND l.start_date <= $3 AND (l.end_date IS NULL OR l.end_date >= $3),
           ARRAY(SELECT generate_series(k.grade_low::int, k.grade_high::int))::smallint[]
      FROM staff_locations l JOIN schools k ON k.district_id = $1 AND (k.id = l.school_id OR l.school_id IS NULL)
     WHERE l.district_id = $1 AND l.staff_id = (SELECT id FROM me)
    UNION ALL
    SELECT 'section', ss.section_id, ss.seq, NOT ss.deleted AND ss.start_date <= $3 AND (ss.end_date IS NULL OR ss.end_date >= $3), NULL
      FROM section_staff ss WHERE ss.district_id = $1 AND ss.staff_id = (SELECT id FROM me)
  ),
  announced AS (
    SELECT a.id, 'announcement'::text AS kind, 'inbox'::text AS folder,
           bool_or(au.active AND (coalesce(cardinality(a.grades), 0) = 0 OR a.grades && au.grades)) AND NOT a.deleted AND a.starts_on <= $3 AND a.ends_on >= $3 AS visible,
           greatest(max(au.seq), a.seq, (SELECT coalesce(max(greatest(st.seq, p.seq)), 0) FROM staff st JOIN people p ON p.district_id = st.district_id AND p.id = st.person_id
                                          WHERE st.district_id = $1 AND st.id = a.author_staff_id)) AS eff_seq
      FROM announcements a
      JOIN audience au ON CASE WHEN coalesce(cardinality(a.grades), 0) = 0
                               THEN au.scope = a.scope AND (a.scope = 'district' OR au.target = CASE a.scope WHEN 'school' THEN a.school_id ELSE a.section_id END)
                               ELSE au.scope = 'school' AND (a.scope = 'district' OR au.target = a.school_id) END
     WHERE a.district_id = $1
     GROUP BY a.id, a.deleted, a.starts_on, a.ends_on, a.seq, a.author_staff_id, a.grades
  ),
  received AS (
    SELECT m.id, 'message'::text AS kind, 'inbox'::text AS folder,
           NOT mr.deleted AND NOT m.deleted AND (m.about_student_id IS NULL OR coalesce(ga.active, false)) AS visible,
           greatest(mr.seq, m.seq, sp.seq, coalesce(ga.seq, 0)) AS eff_seq
      FROM message_recipients mr
      JOIN messages m ON m.district_id = $1 AND m.id = mr.message_id
      JOIN people sp ON sp.district_id = $1 AND sp.id = m.sender_person_id
      LEFT JOIN LATERAL (
        SELECT bool_or(g.in_force) AS active, max(g.seq) AS seq FROM my_students g WHERE g.student_id = m.about_student_id) ga ON true
     WHERE mr.district_id = $1 AND mr.person_id = $2
  ),
  sent AS (
    SELECT m.id, 'message'::text AS kind, 'sent'::text AS folder, NOT m.deleted AS visible, greatest(m.seq, sp.seq) AS eff_seq
      FROM messages m JOIN people sp ON sp.district_id = $1 AND sp.id = m.sender_person_id
     WHERE m.district_id = $1 AND m.sender_person_id = $2
       AND NOT EXISTS (SELECT 1 FROM message_recipients x WHERE x.district_id = $1 AND x.message_id = m.id AND x.person_id = $2)
  ),
  documents AS (
    SELECT * FROM announced UNION ALL SELECT * FROM received UNION ALL SELECT * FROM sent
  )`;

const ISO_INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const NAME = (p: string) => `coalesce(${p}.preferred_name, ${p}.first_name) || ' ' || ${p}.last_name`;

/** Each document on the page, its columns named as the schema names its fields (pulled-document.ts). */
const DETAILS = `
  SELECT p.id, p.kind, p.folder, p.visible, p.eff_seq,
         left(coalesce(${NAME('sp')}, ${NAME('ap')}, ''), 200) AS "senderName",
         json_build_object('en', coalesce(left(m.subject, ${TITLE_MAX}), left(a.title->>'en', ${TITLE_MAX}), ''), 'es', left(a.title->>'es', ${TITLE_MAX}),
                           'so', left(a.title->>'so', ${TITLE_MAX}), 'vi', left(a.title->>'vi', ${TITLE_MAX})) AS title,
         json_build_object('en', coalesce(left(m.body, ${BODY_MAX}), left(a.body->>'en', ${BODY_MAX}), ''), 'es', left(a.body->>'es', ${BODY_MAX}),
                           'so', left(a.body->>'so', ${BODY_MAX}), 'vi', left(a.body->>'vi', ${BODY_MAX})) AS body,
         coalesce(m.section_id, a.section_id) AS "sectionId", ak.id AS "schoolId", coalesce(left(ak.name, 200), '') AS "schoolName",
         ARRAY(SELECT DISTINCT g FROM unnest(a.grades) g ORDER BY g) AS grades, m.about_student_id AS "aboutStudentId",
         to_char(m.sent_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS "sentAt",
         to_char(a.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(a.ends_on, 'YYYY-MM-DD') AS "endsOn",
         -- Only a message of the inbox has a recipient row, so only it is ever read.
         to_char(mr.read_at AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS "readAt", NULL::text AS "syncError"
    FROM page p
    LEFT JOIN announcements a ON p.kind = 'announcement' AND a.district_id = $1 AND a.id = p.id
    LEFT JOIN staff ast ON ast.district_id = $1 AND ast.id = a.author_staff_id
    LEFT JOIN people ap ON ap.district_id = $1 AND ap.id = ast.person_id
    LEFT JOIN sections asec ON asec.district_id = $1 AND asec.id = a.section_id
    LEFT JOIN schools ak ON ak.district_id = $1 AND ak.id = coalesce(a.school_id, asec.school_id)
    LEFT JOIN messages m ON p.kind = 'message' AND m.district_id = $1 AND m.id = p.id
    LEFT JOIN people sp ON sp.district_id = $1 AND sp.id = m.sender_person_id
    LEFT JOIN message_recipients mr ON p.folder = 'inbox' AND p.kind = 'message' AND mr.district_id = $1 AND mr.message_id = p.id AND mr.person_id = $2
   ORDER BY p.eff_seq, p.id`;

const PULL_SQL = `WITH ${DOCUMENTS},
  page AS (SELECT * FROM documents WHERE ${pageAfter('eff_seq', 'id', 'visible', GRANTED_PAGE)} ORDER BY eff_seq, id LIMIT $6)
  ${DETAILS}`;

const ONE_SQL = `WITH ${DOCUMENTS},
  page AS (SELECT * FROM documents WHERE id = $4::uuid)
  ${DETAILS}`;

/** A tombstone: the id, with nothing of what it said, whom it was about, or when. */
const tombstone = tombstones<MessageDocument>(messageSchema);

const toDocument = documentsFrom<MessageDocument>(messageSchema);

/** The user's inbox and sent messages changed since the checkpoint, ordered by (order key, id). */
export async function pullMessages(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledMessage[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<PulledRow<MessageDocument>>(PULL_SQL, grantedPullParams(principal, today, checkpoint, limit, base));
  return { documents: rows.map(toDocument), checkpoint: nextCheckpoint(rows, checkpoint, base) };
}

const sameInstant = (a: string | null, b: string | null) => (a === null || b === null ? a === b : Date.parse(a) === Date.parse(b));
const sameGrades = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((grade, index) => grade === b[index]);
const sameText = (a: Translated, b: Translated) => a.en === b.en && a.es === b.es && a.so === b.so && a.vi === b.vi;

/** Equal in everything a user cannot change (all but readAt and syncError). */
function sameApartFromRead(a: PulledMessage, b: PulledMessage): boolean {
  return a._deleted === b._deleted && a.kind === b.kind && a.folder === b.folder && a.senderName === b.senderName && sameText(a.title, b.title) && sameText(a.body, b.body)
    && a.sectionId === b.sectionId && a.schoolId === b.schoolId && a.schoolName === b.schoolName && sameGrades(a.grades, b.grades) && a.aboutStudentId === b.aboutStudentId && sameInstant(a.sentAt, b.sentAt) && a.startsOn === b.startsOn && a.endsOn === b.endsOn;
}

/** Its schema says it all: kinds, folders, texts in the four languages, ids, days and instants. */
const wellFormed = pushedDocumentCheck<MessageDocument>(messageSchema);

/** The message as this user's pull shows it (a tombstone when hidden), her own recipient row locked so two devices marking it read take turns. */
async function loadMessage({ tx, principal, today }: PushContext, id: string): Promise<PulledMessage | null> {
  await tx.query(`SELECT 1 FROM message_recipients WHERE district_id = $1 AND message_id = $2 AND person_id = $3 FOR UPDATE`, [principal.districtId, id, principal.personId]);
  const [stored] = await tx.query<PulledRow<MessageDocument>>(ONE_SQL, [principal.districtId, principal.personId, today, id]);
  return stored ? toDocument(stored) : null;
}

/**
 * Pushed messages. The only change taken: a recipient marking a message of her own inbox read or
 * unread. Anything else (another user's message, an announcement, a sent message, an edit, a
 * deletion) is refused with `not_allowed`, the server's state coming back.
 */
export const pushMessages = pushPipeline({
  schema: messageSchema,
  check: wellFormed,
  // With nothing this user may see under that id, a blank tombstone makes the device drop it.
  unseen: 'blank',
  load: async (context, next) => ({ master: await loadMessage(context, next.id) }),
  shown: (_context, { master }) => master,
  same: (a, b) => sameApartFromRead(a, b) && sameInstant(a.readAt, b.readAt),
  authorize(_context, { master }, next, assumed) {
    if (!master || master._deleted || master.kind !== 'message' || master.folder !== 'inbox') return 'not_allowed';
    const stated = typeof assumed === 'object' && assumed !== null ? { ...assumed, _deleted: (assumed as { _deleted?: boolean })._deleted ?? false } : null;
    return sameApartFromRead(next, wellFormed(stated) ? stated : master) ? null : 'not_allowed';
  },
  // A day of clock skew is tolerated; a read further in the future is a broken clock.
  rules: async ({ today }, _stored, next) => (next.readAt !== null && next.readAt.slice(0, 10) > addDays(today, 1) ? 'future_date' : {}),
  async write({ tx, principal }, _stored, next) {
    await tx.query(`UPDATE message_recipients SET read_at = $4::timestamptz WHERE district_id = $1 AND message_id = $2 AND person_id = $3`, [principal.districtId, next.id, principal.personId, next.readAt]);
    return [];
  },
  // The stored message she may see comes back with the refusal, so the device keeps it; an id of no UUID comes back blank.
  async malformed(context, document) {
    const id = typeof document === 'object' && document !== null ? (document as { id?: unknown }).id : undefined;
    // Without an id of the collection's shape there is nothing the device could match a reply to.
    if (typeof id !== 'string' || id.length < 1 || id.length > 36) return null;
    return (UUID.test(id) ? await loadMessage(context, id) : null) ?? tombstone(id);
  },
});
