/**
 * In-progress grade calculation, shared by the server and the client (pure, no I/O).
 * Rules: exempt, incomplete, ungraded and teacher-dropped scores do not count; missing work
 * counts as zero when the district says so; each category may drop its lowest N scores;
 * weighted categories are renormalised over the categories that have graded work.
 */
export type GradingMethod = 'weighted' | 'points';

export interface GradeCategory {
  id: string;
  weight: number;
  dropLowest: number;
}

export interface GradeScore {
  assignmentId: string;
  categoryId: string;
  pointsPossible: number;
  points: number | null;
  missing?: boolean;
  exempt?: boolean;
  incomplete?: boolean;
  dropped?: boolean;
}

export interface GradeOptions {
  method: GradingMethod;
  missingCountsAsZero: boolean;
  decimals: number;
}

export interface CategoryResult {
  id: string;
  weight: number;
  earned: number;
  possible: number;
  percent: number | null;
  /** Assignments left out by "drop lowest N". */
  droppedAssignmentIds: string[];
}

export interface GradeResult {
  percent: number | null;
  categories: CategoryResult[];
}

interface Counted {
  assignmentId: string;
  earned: number;
  possible: number;
}

export function roundHalfUp(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // The small epsilon keeps 89.45 (stored as 89.4499999…) rounding up as a teacher expects.
  return Math.round((value + Number.EPSILON * Math.abs(value)) * factor + 1e-9) / factor;
}

function countedScore(score: GradeScore, options: GradeOptions): Counted | null {
  if (score.exempt || score.incomplete || score.dropped) return null;
  if (score.missing && score.points === null) {
    return options.missingCountsAsZero ? { assignmentId: score.assignmentId, earned: 0, possible: score.pointsPossible } : null;
  }
  if (score.points === null) return null;
  return { assignmentId: score.assignmentId, earned: score.points, possible: score.pointsPossible };
}

/** Drops the N lowest by percentage, never all of them; extra-credit (0 possible) is never dropped. */
function dropLowest(scores: Counted[], n: number): { kept: Counted[]; dropped: string[] } {
  const droppable = scores.filter((s) => s.possible > 0);
  const count = Math.min(n, Math.max(0, droppable.length - 1));
  if (count === 0) return { kept: scores, dropped: [] };
  const ranked = [...droppable].sort((a, b) => a.earned / a.possible - b.earned / b.possible || b.possible - a.possible);
  const dropped = new Set(ranked.slice(0, count).map((s) => s.assignmentId));
  return { kept: scores.filter((s) => !dropped.has(s.assignmentId)), dropped: [...dropped] };
}

export function calculateGrade(categories: readonly GradeCategory[], scores: readonly GradeScore[], options: GradeOptions): GradeResult {
  const byCategory = new Map<string, Counted[]>(categories.map((c) => [c.id, []]));
  for (const score of scores) {
    const counted = countedScore(score, options);
    if (counted) byCategory.get(score.categoryId)?.push(counted);
  }
  const results: CategoryResult[] = categories.map((category) => {
    const { kept, dropped } = dropLowest(byCategory.get(category.id) ?? [], category.dropLowest);
    const earned = kept.reduce((sum, s) => sum + s.earned, 0);
    const possible = kept.reduce((sum, s) => sum + s.possible, 0);
    return {
      id: category.id,
      weight: category.weight,
      earned,
      possible,
      percent: possible > 0 ? roundHalfUp((earned / possible) * 100, options.decimals) : null,
      droppedAssignmentIds: dropped,
    };
  });
  let percent: number | null = null;
  if (options.method === 'points') {
    const earned = results.reduce((sum, c) => sum + c.earned, 0);
    const possible = results.reduce((sum, c) => sum + c.possible, 0);
    percent = possible > 0 ? (earned / possible) * 100 : null;
  } else {
    const graded = results.filter((c) => c.possible > 0 && c.weight > 0);
    const totalWeight = graded.reduce((sum, c) => sum + c.weight, 0);
    percent = totalWeight > 0 ? graded.reduce((sum, c) => sum + (c.weight * c.earned) / c.possible, 0) / totalWeight * 100 : null;
  }
  return { percent: percent === null ? null : roundHalfUp(percent, options.decimals), categories: results };
}

export interface ScaleBand {
  mark: string;
  minPercent: number;
}

/** The mark of the highest band whose minimum the percent reaches. */
export function markFor(percent: number | null, bands: readonly ScaleBand[]): string | null {
  if (percent === null) return null;
  const sorted = [...bands].sort((a, b) => b.minPercent - a.minPercent);
  return sorted.find((band) => percent >= band.minPercent)?.mark ?? sorted[sorted.length - 1]?.mark ?? null;
}
