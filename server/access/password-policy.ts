import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type AuthErrorCode } from '../contract/auth.ts';

// NIST SP 800-63B: a minimum length and a list of known-bad passwords; no composition rules.
const common = new Set(
  (dictionary['passwords-common'] as string[]).filter((p) => p.length >= PASSWORD_MIN_LENGTH).map((p) => p.toLowerCase()),
);
for (const local of ['homeroom', 'homeroom1', 'password1', 'riverbend', 'student1', 'teacher1', 'parent123']) common.add(local);

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string | null): AuthErrorCode | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'password_too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'password_too_long';
  const folded = password.toLowerCase();
  if (common.has(folded)) return 'password_common';
  if (username && folded.includes(username.toLowerCase())) return 'password_common';
  if (/^(.)\1+$/u.test(password)) return 'password_common';
  return null;
}
