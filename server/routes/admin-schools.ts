/**
 * `GET /api/admin/schools`: the schools whose staff this person administers (the staff_admin
 * right): every school of the district for a district-wide right, else the schools of their
 * own rights. A district administrator has no school of her own, so the administration screen
 * starts from this list rather than from her locations.
 */
import { Hono } from 'hono';
import { requireAuth } from '../access/authenticate.ts';
import { canUseTool } from '../access/policy.ts';
import type { AppEnv } from '../app.ts';
import { ApiError } from '../errors.ts';

export interface AdminSchool {
  id: string;
  code: string;
  name: string;
  level: 'elementary' | 'middle' | 'high';
}

export function adminSchoolRoutes() {
  const app = new Hono<AppEnv>();
  app.use('*', requireAuth);
  app.get('/', async (c) => {
    const principal = c.get('principal');
    const schools = await c.get('deps').store.query<AdminSchool>(
      `SELECT id, code, name, level FROM schools WHERE district_id = $1 AND NOT deleted ORDER BY name, id`,
      [principal.districtId],
    );
    const administered = schools.filter((school) => canUseTool(principal, 'staff_admin', school.id));
    if (administered.length === 0) throw new ApiError(403, 'forbidden');
    return c.json({ schools: administered });
  });
  return app;
}
