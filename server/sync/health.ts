import type { Principal } from '../access/principal.ts';
import { GRANTED_PAGE, grantedPullParams, nextCheckpoint, pageAfter, pullBase } from './pager.ts';
import { healthSchema, VACCINES, type HealthDocument, type ImmunizationCompliance, type ImmunizationDose, type Vaccine } from '../contract/sync/health.ts';
import { tombstones } from './tombstone.ts';
import type { PulledRow } from './pulled-document.ts';
import type { SyncCheckpoint } from '../contract/sync/students.ts';
import type { Queryable } from '../db/store.ts';
import { grantsReading } from '../access/grants.ts';

/** Tombstones keep ids only (server/sync/tombstone.ts). */
const tombstone = tombstones<HealthDocument>(healthSchema);

export type PulledHealth = HealthDocument & { _deleted: boolean };

export interface ImmunizationRequirement {
  vaccine: Vaccine;
  gradeLow: number;
  gradeHigh: number;
  doses: number;
}

/**
 * Compliance of a student's doses with the requirements for their grade: a vaccine is met by
 * enough administered doses or by an exemption on record; the student is compliant when every
 * required vaccine is met.
 */
export function immunizationCompliance(gradeLevel: number, doses: readonly ImmunizationDose[], requirements: readonly ImmunizationRequirement[]): { requirements: ImmunizationCompliance[]; compliant: boolean } {
  const required = new Map<Vaccine, number>();
  for (const r of requirements) {
    if (r.gradeLow <= gradeLevel && gradeLevel <= r.gradeHigh) required.set(r.vaccine, Math.max(required.get(r.vaccine) ?? 0, r.doses));
  }
  const result = VACCINES.filter((v) => required.has(v)).map((vaccine): ImmunizationCompliance => {
    const dosesRequired = required.get(vaccine)!;
    const ofVaccine = doses.filter((d) => d.vaccine === vaccine);
    const dosesOnRecord = ofVaccine.filter((d) => d.exemption === 'none' && d.administeredOn !== null).length;
    const exempt = ofVaccine.some((d) => d.exemption !== 'none');
    return { vaccine, dosesRequired, dosesOnRecord, exempt, compliant: exempt || dosesOnRecord >= dosesRequired };
  });
  return { requirements: result, compliant: result.every((r) => r.compliant) };
}

/**
 * Health documents changed for this user since the checkpoint, one per student. The order key
 * covers the grants, the student row (grade level), every immunization row of the student and
 * every requirement of the district, so a new dose or a changed requirement reaches devices.
 * Requirements are read in the same statement as the order key: a document is never computed
 * from older rules than its key claims.
 */
export async function pullHealth(db: Queryable, principal: Principal, today: string, checkpoint: SyncCheckpoint | null, limit: number): Promise<{ documents: PulledHealth[]; checkpoint: SyncCheckpoint | null }> {
  const base = await pullBase(db, principal, checkpoint);
  const rows = await db.query<PulledRow<Pick<HealthDocument, 'id' | 'studentId' | 'gradeLevel' | 'doses'>> & { rules: ImmunizationRequirement[] }>(
    `WITH grants AS (${grantsReading('health')}),
     scoped AS (SELECT student_id, bool_or(in_force) AS visible, max(seq) AS grant_seq FROM grants GROUP BY student_id),
     reqs AS (
       SELECT coalesce(max(q.seq), 0) AS seq,
              coalesce(json_agg(json_build_object('vaccine', q.vaccine, 'gradeLow', q.grade_low, 'gradeHigh', q.grade_high, 'doses', q.doses_required)) FILTER (WHERE NOT q.deleted), '[]'::json) AS list
         FROM immunization_requirements q WHERE q.district_id = $1
     ),
     documents AS (
       SELECT sc.student_id AS id, sc.visible AND NOT s.deleted AS visible, s.grade_level,
              greatest(sc.grant_seq, s.seq, rq.seq, (SELECT coalesce(max(i.seq), 0) FROM immunizations i WHERE i.district_id = $1 AND i.student_id = s.id)) AS eff_seq
         -- Each student by key (OFFSET 0 keeps it unflattened): planned generically, the district's students were read and hashed.
         FROM scoped sc CROSS JOIN LATERAL (SELECT * FROM students s WHERE s.district_id = $1 AND s.id = sc.student_id OFFSET 0) s CROSS JOIN reqs rq
     ),
     page AS (
       SELECT * FROM documents WHERE ${pageAfter('eff_seq', 'id', 'visible', GRANTED_PAGE)} ORDER BY eff_seq, id LIMIT $6
     )
     SELECT p.id, p.visible, p.eff_seq, p.id AS "studentId", p.grade_level AS "gradeLevel", rq.list AS rules,
            coalesce((SELECT json_agg(json_build_object('vaccine', i.vaccine, 'doseNumber', i.dose_number, 'administeredOn', to_char(i.administered_on, 'YYYY-MM-DD'),
                                                        'exemption', i.exemption, 'source', i.source) ORDER BY i.vaccine, i.dose_number)
                        FROM immunizations i WHERE i.district_id = $1 AND i.student_id = p.id AND NOT i.deleted AND p.visible), '[]'::json) AS doses
       FROM page p CROSS JOIN reqs rq
      ORDER BY p.eff_seq, p.id`,
    grantedPullParams(principal, today, checkpoint, limit, base),
  );
  // The document is the row, with its compliance worked out from the district's rules.
  const documents = rows.map(({ visible, eff_seq, rules, ...health }): PulledHealth =>
    visible ? { ...health, ...immunizationCompliance(health.gradeLevel, health.doses, rules), _deleted: false } : tombstone(health.id));
  return { documents, checkpoint: nextCheckpoint(rows, checkpoint, base) };
}
