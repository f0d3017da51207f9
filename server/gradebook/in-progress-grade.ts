/**
 * Keeps a student's in-progress term grade in step with their scores: after a score changes,
 * the grade of that section and grading period is computed again (server/domain/grade-calc.ts,
 * the rules the client shows) and written in the same transaction. Posted grades are never
 * touched here; standards-graded courses have no percent to compute.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/store.ts';
import { calculateGrade, markFor, type GradingMethod } from '../domain/grade-calc.ts';

export interface TermGradeKey {
  sectionId: string;
  studentId: string;
  gradingPeriodId: string;
}

interface Setting {
  method: GradingMethod;
  grading_kind: 'letter' | 'standards';
  course_id: string;
  decimals: number;
  grading_scale_id: string;
  missing_counts_as_zero: boolean;
}

/** Recomputes the in-progress term grades of one student in one section and grading period; returns the new percent. */
export async function recomputeTermGrade(tx: Queryable, districtId: string, key: TermGradeKey): Promise<number | null> {
  const [setting] = await tx.query<Setting>(
    `SELECT x.grading_method AS method, c.grading_kind, c.id AS course_id, sc.rounding_decimals AS decimals, sc.grading_scale_id, d.missing_counts_as_zero
       FROM sections x JOIN courses c ON c.district_id = x.district_id AND c.id = x.course_id
       JOIN schools sc ON sc.district_id = x.district_id AND sc.id = x.school_id
       JOIN districts d ON d.id = x.district_id
      WHERE x.district_id = $1 AND x.id = $2`,
    [districtId, key.sectionId],
  );
  if (!setting || setting.grading_kind !== 'letter') return null;
  const [categories, scores, bands] = await Promise.all([
    tx.query<{ id: string; weight: string; drop_lowest: number }>(
      `SELECT id, weight::text AS weight, drop_lowest FROM assignment_categories WHERE district_id = $1 AND section_id = $2 AND NOT deleted ORDER BY id`,
      [districtId, key.sectionId],
    ),
    // Only published work counts: a family must be able to see everything that moves the grade.
    tx.query<{ assignment_id: string; category_id: string; points_possible: string; points: string | null; missing: boolean; exempt: boolean; incomplete: boolean; dropped: boolean }>(
      `SELECT s.assignment_id, a.category_id, a.points_possible::text AS points_possible, s.points::text AS points, s.missing, s.exempt, s.incomplete, s.dropped
         FROM scores s JOIN assignments a ON a.district_id = s.district_id AND a.id = s.assignment_id
        WHERE s.district_id = $1 AND a.section_id = $2 AND a.grading_period_id = $3 AND s.student_id = $4
          AND NOT s.deleted AND NOT a.deleted AND a.published`,
      [districtId, key.sectionId, key.gradingPeriodId, key.studentId],
    ),
    tx.query<{ mark: string; min_percent: string }>(
      `SELECT mark, min_percent::text AS min_percent FROM grading_scale_bands WHERE district_id = $1 AND grading_scale_id = $2 AND NOT deleted`,
      [districtId, setting.grading_scale_id],
    ),
  ]);
  const result = calculateGrade(
    categories.map((c) => ({ id: c.id, weight: Number(c.weight), dropLowest: c.drop_lowest })),
    scores.map((s) => ({
      assignmentId: s.assignment_id, categoryId: s.category_id, pointsPossible: Number(s.points_possible), points: s.points === null ? null : Number(s.points),
      missing: s.missing, exempt: s.exempt, incomplete: s.incomplete, dropped: s.dropped,
    })),
    { method: setting.method, missingCountsAsZero: setting.missing_counts_as_zero, decimals: setting.decimals },
  );
  const mark = markFor(result.percent, bands.map((b) => ({ mark: b.mark, minPercent: Number(b.min_percent) })));
  const updated = await tx.query<{ id: string }>(
    `UPDATE term_grades SET percent = $5, mark = $6
      WHERE district_id = $1 AND section_id = $2 AND student_id = $3 AND grading_period_id = $4 AND status = 'in_progress' AND NOT deleted
        AND (percent IS DISTINCT FROM $5::numeric OR mark IS DISTINCT FROM $6::text)
      RETURNING id`,
    [districtId, key.sectionId, key.studentId, key.gradingPeriodId, result.percent, mark],
  );
  if (updated.length > 0) return result.percent;
  // The first score of a grading period opens its in-progress grade, under the course's quarter task.
  await tx.query(
    `INSERT INTO term_grades (district_id, id, section_id, student_id, grading_task_id, grading_period_id, percent, mark, status)
     SELECT $1, $8::uuid, $2, $3, t.id, $4, $5, $6, 'in_progress'
       FROM grading_tasks t WHERE t.district_id = $1 AND t.course_id = $7 AND t.kind = 'quarter' AND NOT t.deleted
        AND NOT EXISTS (SELECT 1 FROM term_grades g WHERE g.district_id = $1 AND g.section_id = $2 AND g.student_id = $3 AND g.grading_period_id = $4)
      ORDER BY t.sequence LIMIT 1`,
    [districtId, key.sectionId, key.studentId, key.gradingPeriodId, result.percent, mark, setting.course_id, randomUUID()],
  );
  return result.percent;
}
