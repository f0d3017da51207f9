import { UUID } from '../domain/ids.ts';
/**
 * Term grades leave the gradebook in two steps: the section's teacher posts them for a grading
 * period (families then see them as final), and only office staff with the `grades_admin`
 * right for the school can reopen a posted grade. Scores themselves sync through
 * `/api/sync/scores`; this is the part that is a decision, not an edit. Every change is audited.
 */
import { Hono, type Context } from 'hono';
import { audit } from '../access/access-log.ts';
import { requireAuth } from '../access/authenticate.ts';
import { canUseTool } from '../access/policy.ts';
import type { AppEnv } from '../app.ts';
import { recomputeTermGrade } from '../gradebook/in-progress-grade.ts';
import type { Queryable } from '../db/store.ts';
import { isIsoDate } from '../domain/dates.ts';
import { ApiError } from '../errors.ts';
import { readJsonObject } from './validate.ts';

const text = (value: unknown, min: number, max: number) => typeof value === 'string' && !value.includes('\u0000') && value.trim().length >= min && value.length <= max;
const twoDecimals = (value: unknown, max: number): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max && Math.round(value * 100) === value * 100;

interface AssignmentInput {
  categoryId: string;
  gradingPeriodId: string;
  name: string;
  description: string;
  pointsPossible: number;
  assignedOn: string;
  dueOn: string;
  published: boolean;
}

function readAssignment(body: Record<string, unknown>): AssignmentInput {
  const invalid: string[] = [];
  const check = (ok: boolean, field: string) => ok || invalid.push(field);
  check(typeof body.categoryId === 'string' && UUID.test(body.categoryId), 'categoryId');
  check(typeof body.gradingPeriodId === 'string' && UUID.test(body.gradingPeriodId), 'gradingPeriodId');
  check(text(body.name, 1, 200), 'name');
  check(body.description === undefined || text(body.description, 0, 4000), 'description');
  check(twoDecimals(body.pointsPossible, 9999.99), 'pointsPossible');
  check(typeof body.assignedOn === 'string' && isIsoDate(body.assignedOn), 'assignedOn');
  check(typeof body.dueOn === 'string' && isIsoDate(body.dueOn) && typeof body.assignedOn === 'string' && body.dueOn >= body.assignedOn, 'dueOn');
  check(body.published === undefined || typeof body.published === 'boolean', 'published');
  if (invalid.length > 0) throw new ApiError(400, 'validation_failed', { fields: invalid });
  return {
    categoryId: (body.categoryId as string).toLowerCase(), gradingPeriodId: (body.gradingPeriodId as string).toLowerCase(), name: (body.name as string).trim(),
    description: ((body.description as string | undefined) ?? '').trim(), pointsPossible: body.pointsPossible as number,
    assignedOn: body.assignedOn as string, dueOn: body.dueOn as string, published: (body.published as boolean | undefined) ?? true,
  };
}

/** The category and grading period must be the section's own; a posted period takes no new work. */
async function checkPlacement(tx: Queryable, districtId: string, sectionId: string, input: AssignmentInput): Promise<void> {
  const [category] = await tx.query(`SELECT 1 FROM assignment_categories WHERE district_id = $1 AND id = $2 AND section_id = $3 AND NOT deleted`, [districtId, input.categoryId, sectionId]);
  const [period] = await tx.query(
    `SELECT 1 FROM grading_periods p JOIN sections x ON x.district_id = p.district_id AND x.term_id = p.term_id WHERE p.district_id = $1 AND p.id = $2 AND x.id = $3`,
    [districtId, input.gradingPeriodId, sectionId],
  );
  const invalid = [...(category ? [] : ['categoryId']), ...(period ? [] : ['gradingPeriodId'])];
  if (invalid.length > 0) throw new ApiError(400, 'validation_failed', { fields: invalid });
  await refuseIfPosted(tx, districtId, sectionId, input.gradingPeriodId);
}

async function refuseIfPosted(tx: Queryable, districtId: string, sectionId: string, gradingPeriodId: string): Promise<void> {
  const [posted] = await tx.query(
    `SELECT 1 FROM term_grades WHERE district_id = $1 AND section_id = $2 AND grading_period_id = $3 AND status = 'posted' AND NOT deleted LIMIT 1`,
    [districtId, sectionId, gradingPeriodId],
  );
  if (posted) throw new ApiError(409, 'grades_posted');
}

/** Every current student's in-progress grade of the period, after a change that moves them all. */
async function recomputeSection(tx: Queryable, districtId: string, sectionId: string, gradingPeriodIds: string[], today: string): Promise<void> {
  const students = await tx.query<{ student_id: string }>(
    `SELECT DISTINCT student_id FROM section_enrollments WHERE district_id = $1 AND section_id = $2 AND NOT deleted AND start_date <= $3 AND (end_date IS NULL OR end_date >= $3)`,
    [districtId, sectionId, today],
  );
  for (const gradingPeriodId of new Set(gradingPeriodIds)) {
    for (const { student_id: studentId } of students) await recomputeTermGrade(tx, districtId, { sectionId, studentId, gradingPeriodId });
  }
}

export function gradebookRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);

  /** Posts the term grades of every student now in the section, as the gradebook computes them. */
  app.post('/sections/:sectionId/periods/:periodId/post', async (c) => {
    const { sectionId, periodId } = c.req.param();
    if (!UUID.test(sectionId) || !UUID.test(periodId)) throw new ApiError(404, 'not_found');
    const principal = c.get('principal');
    // Only the section's own teacher posts its grades.
    if (!principal.sectionIds.has(sectionId)) throw new ApiError(403, 'forbidden');
    const { store, clock } = c.get('deps');
    const now = clock();
    const today = now.toISOString().slice(0, 10);
    const result = await store.transaction(async (tx) => {
      const [period] = await tx.query<{ start_date: string }>(
        `SELECT to_char(p.start_date, 'YYYY-MM-DD') AS start_date FROM grading_periods p JOIN sections x ON x.district_id = p.district_id AND x.term_id = p.term_id
          WHERE p.district_id = $1 AND p.id = $2 AND x.id = $3 AND NOT p.deleted`,
        [principal.districtId, periodId, sectionId],
      );
      if (!period) throw new ApiError(404, 'not_found');
      if (period.start_date > today) throw new ApiError(400, 'validation_failed', { fields: ['periodId'], reason: 'the grading period has not started' });
      const students = await tx.query<{ student_id: string }>(
        `SELECT DISTINCT student_id FROM section_enrollments WHERE district_id = $1 AND section_id = $2 AND NOT deleted AND start_date <= $3 AND (end_date IS NULL OR end_date >= $3) ORDER BY student_id`,
        [principal.districtId, sectionId, today],
      );
      let posted = 0;
      let alreadyPosted = 0;
      for (const { student_id: studentId } of students) {
        // Up to date with the gradebook first (posted grades are left as they are).
        await recomputeTermGrade(tx, principal.districtId, { sectionId, studentId, gradingPeriodId: periodId });
        const grades = await tx.query<{ id: string; percent: string | null; mark: string | null; status: string }>(
          `SELECT id, percent::text AS percent, mark, status FROM term_grades
            WHERE district_id = $1 AND section_id = $2 AND student_id = $3 AND grading_period_id = $4 AND NOT deleted FOR UPDATE`,
          [principal.districtId, sectionId, studentId, periodId],
        );
        for (const grade of grades) {
          if (grade.status === 'posted') {
            alreadyPosted += 1;
            continue;
          }
          await tx.query(`UPDATE term_grades SET status = 'posted', posted_at = $3, posted_by_staff_id = $4 WHERE district_id = $1 AND id = $2`, [principal.districtId, grade.id, now, principal.staffId]);
          await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'term_grades', rowId: grade.id, action: 'update', oldValues: { status: 'in_progress' }, newValues: { status: 'posted', percent: grade.percent === null ? null : Number(grade.percent), mark: grade.mark } }, now);
          posted += 1;
        }
      }
      // Standards-based marks of the period are posted with them (elementary report cards).
      const marks = await tx.query<{ id: string }>(
        `UPDATE standard_marks SET status = 'posted' WHERE district_id = $1 AND section_id = $2 AND grading_period_id = $3 AND status = 'in_progress' AND NOT deleted RETURNING id`,
        [principal.districtId, sectionId, periodId],
      );
      for (const mark of marks) {
        await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'standard_marks', rowId: mark.id, action: 'update', oldValues: { status: 'in_progress' }, newValues: { status: 'posted' } }, now);
      }
      return { posted, alreadyPosted, standardMarks: marks.length };
    });
    return c.json(result);
  });

  /** Reopens a posted grade so it can change again: the office's decision, with a reason. */
  app.post('/term-grades/:id/reopen', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'not_found');
    let reason: unknown;
    try {
      reason = ((await c.req.json()) as { reason?: unknown })?.reason;
    } catch {
      throw new ApiError(400, 'validation_failed', { reason: 'body is not JSON' });
    }
    if (typeof reason !== 'string' || reason.trim().length < 3 || reason.length > 500) throw new ApiError(400, 'validation_failed', { fields: ['reason'] });
    const principal = c.get('principal');
    const { store, clock } = c.get('deps');
    const now = clock();
    await store.transaction(async (tx) => {
      const [grade] = await tx.query<{ school_id: string; status: string; posted_at: string | null; posted_by_staff_id: string | null }>(
        `SELECT x.school_id, g.status, g.posted_at, g.posted_by_staff_id FROM term_grades g JOIN sections x ON x.district_id = g.district_id AND x.id = g.section_id
          WHERE g.district_id = $1 AND g.id = $2 AND NOT g.deleted FOR UPDATE OF g`,
        [principal.districtId, id],
      );
      if (!grade) throw new ApiError(404, 'not_found');
      if (!canUseTool(principal, 'grades_admin', grade.school_id)) throw new ApiError(403, 'forbidden');
      if (grade.status !== 'posted') return;
      await tx.query(`UPDATE term_grades SET status = 'in_progress', posted_at = NULL, posted_by_staff_id = NULL WHERE district_id = $1 AND id = $2`, [principal.districtId, id]);
      await audit(tx, {
        districtId: principal.districtId, actorAccountId: principal.accountId, table: 'term_grades', rowId: id, action: 'update',
        oldValues: { status: 'posted', posted_at: grade.posted_at, posted_by_staff_id: grade.posted_by_staff_id }, newValues: { status: 'in_progress', reason: reason.trim() },
      }, now);
    });
    return c.body(null, 204);
  });

  /** Creates coursework in a section the asker teaches. */
  app.post('/sections/:sectionId/assignments', async (c) => {
    const sectionId = c.req.param('sectionId');
    if (!UUID.test(sectionId)) throw new ApiError(404, 'not_found');
    const principal = c.get('principal');
    if (!principal.sectionIds.has(sectionId)) throw new ApiError(403, 'forbidden');
    const input = readAssignment(await readJsonObject(c));
    const { store, clock } = c.get('deps');
    const now = clock();
    const id = await store.transaction(async (tx) => {
      await checkPlacement(tx, principal.districtId, sectionId, input);
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO assignments (district_id, id, section_id, category_id, grading_period_id, name, description, points_possible, assigned_on, due_on, published)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [principal.districtId, sectionId, input.categoryId, input.gradingPeriodId, input.name, input.description, input.pointsPossible, input.assignedOn, input.dueOn, input.published],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'assignments', rowId: row!.id, action: 'insert', oldValues: null, newValues: { section_id: sectionId, ...input } }, now);
      return row!.id;
    });
    return c.json({ id }, 201);
  });

  /** Edits coursework; the section's grades follow (points, category or publication change them). */
  app.put('/assignments/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'not_found');
    const input = readAssignment(await readJsonObject(c));
    const principal = c.get('principal');
    const { store, clock } = c.get('deps');
    const now = clock();
    await store.transaction(async (tx) => {
      const [old] = await tx.query<{ section_id: string; category_id: string; grading_period_id: string; name: string; points_possible: string; due_on: string; published: boolean }>(
        `SELECT section_id, category_id, grading_period_id, name, points_possible::text AS points_possible, to_char(due_on, 'YYYY-MM-DD') AS due_on, published
           FROM assignments WHERE district_id = $1 AND id = $2 AND NOT deleted FOR UPDATE`,
        [principal.districtId, id],
      );
      if (!old) throw new ApiError(404, 'not_found');
      if (!principal.sectionIds.has(old.section_id)) throw new ApiError(403, 'forbidden');
      await refuseIfPosted(tx, principal.districtId, old.section_id, old.grading_period_id);
      await checkPlacement(tx, principal.districtId, old.section_id, input);
      await tx.query(
        `UPDATE assignments SET category_id = $3, grading_period_id = $4, name = $5, description = $6, points_possible = $7, assigned_on = $8, due_on = $9, published = $10
          WHERE district_id = $1 AND id = $2`,
        [principal.districtId, id, input.categoryId, input.gradingPeriodId, input.name, input.description, input.pointsPossible, input.assignedOn, input.dueOn, input.published],
      );
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'assignments', rowId: id, action: 'update', oldValues: { ...old, points_possible: Number(old.points_possible) }, newValues: { ...input } }, now);
      await recomputeSection(tx, principal.districtId, old.section_id, [old.grading_period_id, input.gradingPeriodId], now.toISOString().slice(0, 10));
    });
    return c.body(null, 204);
  });

  /** Removes coursework (its scores stop counting). */
  app.delete('/assignments/:id', async (c) => {
    const id = c.req.param('id');
    if (!UUID.test(id)) throw new ApiError(404, 'not_found');
    const principal = c.get('principal');
    const { store, clock } = c.get('deps');
    const now = clock();
    await store.transaction(async (tx) => {
      const [old] = await tx.query<{ section_id: string; grading_period_id: string; name: string }>(
        `SELECT section_id, grading_period_id, name FROM assignments WHERE district_id = $1 AND id = $2 AND NOT deleted FOR UPDATE`,
        [principal.districtId, id],
      );
      if (!old) throw new ApiError(404, 'not_found');
      if (!principal.sectionIds.has(old.section_id)) throw new ApiError(403, 'forbidden');
      await refuseIfPosted(tx, principal.districtId, old.section_id, old.grading_period_id);
      await tx.query(`UPDATE assignments SET deleted = true WHERE district_id = $1 AND id = $2`, [principal.districtId, id]);
      await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'assignments', rowId: id, action: 'delete', oldValues: old, newValues: null }, now);
      await recomputeSection(tx, principal.districtId, old.section_id, [old.grading_period_id], now.toISOString().slice(0, 10));
    });
    return c.body(null, 204);
  });

  /**
   * Sets a section's categories: `{ categories: [{ id?, name, weight, dropLowest }], remove?: [id] }`.
   * Listed ones are created or updated; those named in `remove` are removed if they hold no work;
   * unlisted ones are left as they are (a device that does not know a category cannot remove it
   * by accident). Weights need not sum to 100 (the calculation renormalises them). Grades of the
   * section are recomputed.
   */
  app.put('/sections/:sectionId/categories', async (c) => {
    const sectionId = c.req.param('sectionId');
    if (!UUID.test(sectionId)) throw new ApiError(404, 'not_found');
    const principal = c.get('principal');
    if (!principal.sectionIds.has(sectionId)) throw new ApiError(403, 'forbidden');
    const body = await readJsonObject(c);
    const list = body.categories;
    if (!Array.isArray(list) || list.length === 0 || list.length > 12) throw new ApiError(400, 'validation_failed', { fields: ['categories'] });
    const categories = list.map((raw, index) => {
      const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const ok = (item.id === undefined || (typeof item.id === 'string' && UUID.test(item.id))) && text(item.name, 1, 60)
        && twoDecimals(item.weight, 100) && Number.isInteger(item.dropLowest) && (item.dropLowest as number) >= 0 && (item.dropLowest as number) <= 10;
      if (!ok) throw new ApiError(400, 'validation_failed', { fields: [`categories.${index}`] });
      return { id: (item.id as string | undefined)?.toLowerCase(), name: (item.name as string).trim(), weight: item.weight as number, dropLowest: item.dropLowest as number };
    });
    if (new Set(categories.map((x) => x.name.toLowerCase())).size !== categories.length) throw new ApiError(400, 'validation_failed', { fields: ['categories'], reason: 'names repeat' });
    const removeList = body.remove ?? [];
    if (!Array.isArray(removeList) || removeList.length > 12 || !removeList.every((id) => typeof id === 'string' && UUID.test(id))) throw new ApiError(400, 'validation_failed', { fields: ['remove'] });
    const remove = new Set((removeList as string[]).map((id) => id.toLowerCase()));
    if (categories.some((x) => x.id && remove.has(x.id))) throw new ApiError(400, 'validation_failed', { fields: ['remove'], reason: 'listed and removed' });
    const { store, clock } = c.get('deps');
    const now = clock();
    const today = now.toISOString().slice(0, 10);
    await store.transaction(async (tx) => {
      const existing = await tx.query<{ id: string; name: string; weight: string; drop_lowest: number; used: boolean }>(
        `SELECT k.id, k.name, k.weight::text AS weight, k.drop_lowest,
                EXISTS (SELECT 1 FROM assignments a WHERE a.district_id = k.district_id AND a.category_id = k.id AND NOT a.deleted) AS used
           FROM assignment_categories k WHERE k.district_id = $1 AND k.section_id = $2 AND NOT k.deleted FOR UPDATE`,
        [principal.districtId, sectionId],
      );
      for (const category of categories) {
        if (category.id && !existing.some((e) => e.id === category.id)) throw new ApiError(400, 'validation_failed', { fields: ['categories'], reason: 'not this section’s category' });
      }
      for (const id of remove) {
        if (!existing.some((e) => e.id === id)) throw new ApiError(400, 'validation_failed', { fields: ['remove'], reason: 'not this section’s category' });
      }
      // A category still holding work stays: its assignments would lose their place in the grade.
      for (const old of existing) {
        if (!remove.has(old.id)) continue;
        if (old.used) throw new ApiError(409, 'category_in_use');
        await tx.query(`UPDATE assignment_categories SET deleted = true, name = name || ' (' || id || ')' WHERE district_id = $1 AND id = $2`, [principal.districtId, old.id]);
        await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'assignment_categories', rowId: old.id, action: 'delete', oldValues: { name: old.name, weight: Number(old.weight), drop_lowest: old.drop_lowest }, newValues: null }, now);
      }
      for (const category of categories) {
        const old = existing.find((e) => e.id === category.id);
        if (old) {
          if (old.name === category.name && Number(old.weight) === category.weight && old.drop_lowest === category.dropLowest) continue;
          await tx.query(`UPDATE assignment_categories SET name = $3, weight = $4, drop_lowest = $5 WHERE district_id = $1 AND id = $2`, [principal.districtId, old.id, category.name, category.weight, category.dropLowest]);
          await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'assignment_categories', rowId: old.id, action: 'update', oldValues: { name: old.name, weight: Number(old.weight), drop_lowest: old.drop_lowest }, newValues: { name: category.name, weight: category.weight, drop_lowest: category.dropLowest } }, now);
        } else {
          const [row] = await tx.query<{ id: string }>(
            `INSERT INTO assignment_categories (district_id, id, section_id, name, weight, drop_lowest) VALUES ($1, gen_random_uuid(), $2, $3, $4, $5) RETURNING id`,
            [principal.districtId, sectionId, category.name, category.weight, category.dropLowest],
          );
          await audit(tx, { districtId: principal.districtId, actorAccountId: principal.accountId, table: 'assignment_categories', rowId: row!.id, action: 'insert', oldValues: null, newValues: { section_id: sectionId, name: category.name, weight: category.weight, drop_lowest: category.dropLowest } }, now);
        }
      }
      // Weights move every student's grade in every period not yet posted.
      const periods = await tx.query<{ id: string }>(
        `SELECT p.id FROM grading_periods p JOIN sections x ON x.district_id = p.district_id AND x.term_id = p.term_id WHERE p.district_id = $1 AND x.id = $2 AND p.start_date <= $3`,
        [principal.districtId, sectionId, today],
      );
      await recomputeSection(tx, principal.districtId, sectionId, periods.map((p) => p.id), today);
    });
    const rows = await store.query<{ id: string; name: string; weight: string; drop_lowest: number }>(
      `SELECT id, name, weight::text AS weight, drop_lowest FROM assignment_categories WHERE district_id = $1 AND section_id = $2 AND NOT deleted ORDER BY name`,
      [principal.districtId, sectionId],
    );
    return c.json({ categories: rows.map((r) => ({ id: r.id, name: r.name, weight: Number(r.weight), dropLowest: r.drop_lowest })) });
  });

  return app;
}
