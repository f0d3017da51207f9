import type { Context } from 'hono';
import { ApiError } from '../errors.ts';

type FieldRule = { type: 'string'; max: number; optional?: boolean };

/** A request body that must be JSON: anything else is a 400 `validation_failed`, never a 500. */
export async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ApiError(400, 'validation_failed', { reason: 'body is not JSON' });
  }
}

/** A request body that must be a JSON object (not a list, text or null). */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'validation_failed', { reason: 'body is not a JSON object' });
  }
  return body as Record<string, unknown>;
}

/**
 * Reads a JSON object body whose fields are all short strings; anything else is a 400
 * `validation_failed` naming the fields, never a 500.
 */
export async function readFields<const Rules extends Record<string, FieldRule>>(
  c: Context,
  rules: Rules,
): Promise<{ [K in keyof Rules]: Rules[K]['optional'] extends true ? string | undefined : string }> {
  const record = await readJsonObject(c);
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
