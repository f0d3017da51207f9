/**
 * One student's gradebook in one section, from the device's documents (pure): each grading
 * period's term grade or standards marks, its assignments with the student's scores, and the
 * in-progress calculation redone with the shared rules (server/domain/grade-calc.ts) so the
 * page can say how the grade comes about.
 */
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { GradeDocument } from '../../../server/contract/sync/grades.ts';
import type { ScoreDocument } from '../../../server/contract/sync/scores.ts';
import type { SectionDocument } from '../../../server/contract/sync/sections.ts';
import { calculateGrade, type GradeCategory, type GradeResult } from '../../../server/domain/grade-calc.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';

const shortDate: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };

/** A calendar date (`YYYY-MM-DD`) read at noon, so no time zone moves it to another day. */
export function calendarDate(iso: string, language: string): string {
  return formatDate(`${iso.slice(0, 10)}T12:00:00`, language, shortDate);
}

/** A score's flags, in the order the Grades tab shows them (grades:flags.<key>). */
export type ScoreFlag = 'missing' | 'late' | 'exempt' | 'incomplete' | 'dropped';

export function scoreFlags(score: Pick<ScoreDocument, ScoreFlag>): ScoreFlag[] {
  return (['missing', 'late', 'exempt', 'incomplete', 'dropped'] as const).filter((flag) => score[flag]);
}

/** Points as the Grades tab writes them: the reader's digits, up to two decimals. */
export function formatPoints(points: number, language: string): string {
  return formatNumber(points, language, { maximumFractionDigits: 2 });
}

/** The district default (missing work counts as zero) and the schools' rounding, as the server computes. */
const CALCULATION_DEFAULTS = { missingCountsAsZero: true, decimals: 1 } as const;

export interface CategorySummary extends GradeCategory {
  name: string;
}

export interface AssignmentRow {
  assignment: AssignmentDocument;
  /** The student's score; undefined when the teacher has not entered one. */
  score: ScoreDocument | undefined;
  /** Left out by the category's "drop the lowest N" rule. */
  droppedAsLowest: boolean;
}

export interface GradingPeriodGrades {
  gradingPeriodId: string;
  /** The term grade (percent and mark), for letter-graded courses. */
  termGrade: GradeDocument | undefined;
  /** Standards marks, for standards-graded (elementary) courses, by standard code. */
  standards: GradeDocument[];
  /** Newest due first. */
  assignments: AssignmentRow[];
  categories: CategorySummary[];
  /** The calculation on this device; null for standards-graded courses. */
  calculation: GradeResult | null;
  firstDue: string | undefined;
  lastDue: string | undefined;
}

function categoriesOf(assignments: readonly AssignmentDocument[]): CategorySummary[] {
  const categories = new Map<string, CategorySummary>();
  for (const assignment of assignments) {
    if (!categories.has(assignment.categoryId)) {
      categories.set(assignment.categoryId, { id: assignment.categoryId, name: assignment.categoryName, weight: assignment.categoryWeight, dropLowest: assignment.categoryDropLowest });
    }
  }
  return [...categories.values()].sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name));
}

/** True when the section's grades are standards marks (1–4) rather than percents. */
export function isStandardsBased(grades: readonly GradeDocument[]): boolean {
  return grades.length > 0 && grades.every((grade) => grade.kind === 'standard');
}

/**
 * The grading periods of one section for one student, the most recent first (an in-progress
 * period before posted ones, then by the latest due date).
 */
export function sectionGradebook(
  section: SectionDocument,
  studentId: string,
  grades: readonly GradeDocument[],
  assignments: readonly AssignmentDocument[],
  scores: readonly ScoreDocument[],
): GradingPeriodGrades[] {
  const mine = grades.filter((grade) => grade.sectionId === section.id && grade.studentId === studentId);
  const work = assignments.filter((assignment) => assignment.sectionId === section.id && assignment.published);
  const scoreOf = new Map(scores.filter((score) => score.studentId === studentId && score.sectionId === section.id).map((score) => [score.assignmentId, score]));
  const standardsBased = isStandardsBased(mine) || (mine.length === 0 && section.gradingMethod === 'standards');
  const periodIds = [...new Set([...mine.map((grade) => grade.gradingPeriodId), ...work.map((assignment) => assignment.gradingPeriodId)])];
  const periods = periodIds.map((gradingPeriodId): GradingPeriodGrades => {
    const inPeriod = work.filter((assignment) => assignment.gradingPeriodId === gradingPeriodId).sort((a, b) => b.dueOn.localeCompare(a.dueOn) || a.name.localeCompare(b.name));
    const categories = categoriesOf(inPeriod);
    const calculation = standardsBased
      ? null
      : calculateGrade(
          categories,
          inPeriod.flatMap((assignment) => {
            const score = scoreOf.get(assignment.id);
            // Named fields, so RxDocuments (whose fields are getters) count as well as plain data.
            return score
              ? [{ assignmentId: assignment.id, categoryId: assignment.categoryId, pointsPossible: assignment.pointsPossible, points: score.points, missing: score.missing, exempt: score.exempt, incomplete: score.incomplete, dropped: score.dropped }]
              : [];
          }),
          { method: section.gradingMethod === 'points' ? 'points' : 'weighted', ...CALCULATION_DEFAULTS },
        );
    const droppedAsLowest = new Set(calculation?.categories.flatMap((category) => category.droppedAssignmentIds) ?? []);
    const periodGrades = mine.filter((grade) => grade.gradingPeriodId === gradingPeriodId);
    const dues = inPeriod.map((assignment) => assignment.dueOn).sort();
    return {
      gradingPeriodId,
      termGrade: periodGrades.find((grade) => grade.kind === 'term'),
      standards: periodGrades.filter((grade) => grade.kind === 'standard').sort((a, b) => (a.standardCode ?? '').localeCompare(b.standardCode ?? '')),
      assignments: inPeriod.map((assignment) => ({ assignment, score: scoreOf.get(assignment.id), droppedAsLowest: droppedAsLowest.has(assignment.id) })),
      categories,
      calculation,
      firstDue: dues[0],
      lastDue: dues[dues.length - 1],
    };
  });
  const inProgress = (period: GradingPeriodGrades) => [period.termGrade, ...period.standards].some((grade) => grade?.status === 'in_progress');
  return periods.sort((a, b) => Number(inProgress(b)) - Number(inProgress(a)) || (b.lastDue ?? '').localeCompare(a.lastDue ?? '') || a.gradingPeriodId.localeCompare(b.gradingPeriodId));
}

/** A percent held as 0–100 ("87.5" → "87.5%", "87,5 %"). */
export function formatPercent(percent: number, language: string): string {
  return formatNumber(percent / 100, language, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 1 });
}
