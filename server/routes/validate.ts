import type { Context } from 'hono';
import { ApiError } from '../errors.ts';

type FieldRule = { type: 'string'; max: number; optional?: boolean };

/**
 * Reads a JSON object body whose fields are all short strings; anything else is a 400
 * `validation_failed` naming the fields, never a 500.
 */
export async function readFields<const Rules extends Record<string, FieldRule>>(
  c: Context,
  rules: Rules,
): Promise<{ [K in keyof Rules]: Rules[K]['optional'] extends true ? string | undefined : string }> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, 'validation_failed', { reason: 'body is not JSON' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'validation_failed', { reason: 'body is not a JSON object' });
  }
  const record = body as Record<string, unknown>;
  const invalid: string[] = [];
  const out: Record<string, string | undefined> = {};
  for (const [name, rule] of Object.entries(rules)) {
    const value = record[name];
    if (value === undefined || value === null || value === '') {
      if (!rule.optional) invalid.push(name);
      continue;
    }
    // PostgreSQL text cannot hold NUL, and no name, key or password needs one.
    if (typeof value !== 'string' || value.length > rule.max || value.includes('\u0000')) {
      invalid.push(name);
      continue;
    }
    out[name] = value;
  }
  if (invalid.length > 0) throw new ApiError(400, 'validation_failed', { fields: invalid });
  return out as never;
}
