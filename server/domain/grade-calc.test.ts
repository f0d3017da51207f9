import { describe, expect, it } from 'vitest';
import { calculateGrade, markFor, roundHalfUp, type GradeCategory, type GradeScore } from './grade-calc.ts';

const weighted = { method: 'weighted' as const, missingCountsAsZero: true, decimals: 1 };
const categories: GradeCategory[] = [
  { id: 'hw', weight: 20, dropLowest: 1 },
  { id: 'tests', weight: 80, dropLowest: 0 },
];
const score = (assignmentId: string, categoryId: string, points: number | null, pointsPossible: number, flags: Partial<GradeScore> = {}): GradeScore =>
  ({ assignmentId, categoryId, points, pointsPossible, ...flags });

describe('calculateGrade', () => {
  it('weights categories and drops the lowest homework (worked example)', () => {
    // Homework 10/10, 5/10, 8/10 → drop 5/10 → 18/20 = 90 %. Tests 85/100 → 85 %.
    // 0.2 × 90 + 0.8 × 85 = 86.0
    const result = calculateGrade(categories, [
      score('h1', 'hw', 10, 10), score('h2', 'hw', 5, 10), score('h3', 'hw', 8, 10), score('t1', 'tests', 85, 100),
    ], weighted);
    expect(result.percent).toBe(86);
    expect(result.categories[0]).toMatchObject({ percent: 90, droppedAssignmentIds: ['h2'] });
  });

  it('counts missing work as zero, or leaves it out when the district says so', () => {
    const scores = [score('t1', 'tests', 90, 100), score('t2', 'tests', null, 100, { missing: true })];
    expect(calculateGrade(categories, scores, weighted).percent).toBe(45);
    expect(calculateGrade(categories, scores, { ...weighted, missingCountsAsZero: false }).percent).toBe(90);
  });

  it('leaves out exempt, incomplete, ungraded and teacher-dropped scores', () => {
    const result = calculateGrade(categories, [
      score('t1', 'tests', 80, 100), score('t2', 'tests', 0, 100, { exempt: true }), score('t3', 'tests', 10, 100, { incomplete: true }),
      score('t4', 'tests', null, 100), score('t5', 'tests', 0, 100, { dropped: true }),
    ], weighted);
    expect(result.percent).toBe(80);
  });

  it('renormalises weights over categories that have graded work (empty category)', () => {
    expect(calculateGrade(categories, [score('t1', 'tests', 70, 100)], weighted).percent).toBe(70);
  });

  it('renormalises weights that do not sum to 100', () => {
    const odd: GradeCategory[] = [{ id: 'a', weight: 30, dropLowest: 0 }, { id: 'b', weight: 30, dropLowest: 0 }];
    expect(calculateGrade(odd, [score('1', 'a', 100, 100), score('2', 'b', 50, 100)], weighted).percent).toBe(75);
  });

  it('gives no grade when everything is exempt', () => {
    expect(calculateGrade(categories, [score('t1', 'tests', null, 100, { exempt: true })], weighted).percent).toBeNull();
  });

  it('never drops the only score of a category', () => {
    const result = calculateGrade(categories, [score('h1', 'hw', 2, 10)], weighted);
    expect(result.categories[0]!.droppedAssignmentIds).toEqual([]);
    expect(result.percent).toBe(20);
  });

  it('adds extra credit (0 points possible) to the points earned', () => {
    const points = { ...weighted, method: 'points' as const };
    expect(calculateGrade(categories, [score('t1', 'tests', 90, 100), score('x', 'hw', 5, 0)], points).percent).toBe(95);
  });

  it('totals points across categories in the points method', () => {
    const points = { ...weighted, method: 'points' as const };
    // (18 + 85) / (20 + 100) = 85.83… → 85.8 (the homework drop still applies)
    expect(calculateGrade(categories, [score('h1', 'hw', 10, 10), score('h2', 'hw', 5, 10), score('h3', 'hw', 8, 10), score('t1', 'tests', 85, 100)], points).percent).toBe(85.8);
  });
});

describe('roundHalfUp and markFor', () => {
  it('round halves up as teachers expect', () => {
    expect(roundHalfUp(89.45, 1)).toBe(89.5);
    expect(roundHalfUp(89.95, 0)).toBe(90);
    expect(roundHalfUp(2 / 3 * 100, 1)).toBe(66.7);
  });

  it('map a percent to the band it reaches', () => {
    const bands = [{ mark: 'A', minPercent: 90 }, { mark: 'B', minPercent: 80 }, { mark: 'F', minPercent: 0 }];
    expect(markFor(90, bands)).toBe('A');
    expect(markFor(89.9, bands)).toBe('B');
    expect(markFor(12, bands)).toBe('F');
    expect(markFor(null, bands)).toBeNull();
  });
});
