/**
 * The password rules people see before the server checks them (NIST SP 800-63B): a length,
 * no composition rules. The list of common passwords is too big to ship: the server checks it.
 */
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../server/contract/auth.ts';

export type NewPasswordProblem = 'required' | 'password_too_short' | 'password_too_long' | 'confirm_mismatch';

/** Characters as people count them: an emoji or an accented letter is one. */
function length(password: string): number {
  return [...password.normalize('NFC')].length;
}

/** What is wrong with a new password before sending it, or undefined. */
export function checkNewPassword(password: string): Exclude<NewPasswordProblem, 'confirm_mismatch'> | undefined {
  if (password === '') return 'required';
  if (length(password) < PASSWORD_MIN_LENGTH) return 'password_too_short';
  if (length(password) > PASSWORD_MAX_LENGTH) return 'password_too_long';
  return undefined;
}

/** The repeated password must be the same, character for character. */
export function checkConfirmation(password: string, confirmation: string): 'required' | 'confirm_mismatch' | undefined {
  if (confirmation === '') return 'required';
  return confirmation === password ? undefined : 'confirm_mismatch';
}
