import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AUTH_ERROR_CODES } from './contract/auth.ts';
import { KIOSK_ERROR_CODES } from './contract/kiosk.ts';

/** Machine-readable error codes; each has a message in locales/<lang>/errors.json. */
export const GENERAL_ERROR_CODES = [
  'not_found',
  'method_not_allowed',
  'validation_failed',
  'body_too_large',
  'unsupported_media_type',
  'store_unavailable',
  'client_outdated',
  'internal',
] as const;
/** Refusals of staff administration: each names the rule that stopped the change. */
export const STAFF_ERROR_CODES = ['self_approval', 'no_location', 'training_required', 'already_granted', 'no_recipients', 'grades_posted', 'category_in_use', 'reset_limit_reached', 'grade_not_taught'] as const;
/** Refusals of a whole sync push: a score named by anything but its key (assignmentId|studentId). */
export const SYNC_ERROR_CODES = ['score_key_required'] as const;
export const ERROR_CODES = [...GENERAL_ERROR_CODES, ...AUTH_ERROR_CODES, ...STAFF_ERROR_CODES, ...KIOSK_ERROR_CODES, ...SYNC_ERROR_CODES] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error a client can act on: an HTTP status, a code, and details (e.g. which field). */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    readonly details?: Record<string, unknown>,
  ) {
    super(status, { message: code });
  }
}
