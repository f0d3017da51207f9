/**
 * Activation keys as printed on the letter: letters and digits in groups of four
 * (`ABCD-EFGH-JKLM`). People type them in any case, with or without spaces and dashes.
 */

const groupSize = 4;

/** Only the key's letters and digits, upper-cased: what the server compares. */
export function normalizeActivationKey(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** The key grouped as on the letter: `abcd efgh-jk` → `ABCD-EFGH-JK`. */
export function formatActivationKey(typed: string): string {
  const characters = normalizeActivationKey(typed);
  const groups: string[] = [];
  for (let start = 0; start < characters.length; start += groupSize) groups.push(characters.slice(start, start + groupSize));
  return groups.join('-');
}

/**
 * Where the caret belongs in the formatted key so it stays after the same character the
 * person just typed (reformatting would otherwise throw it to the end).
 */
export function formattedCaret(typed: string, caret: number): number {
  const before = normalizeActivationKey(typed.slice(0, caret)).length;
  if (before === 0) return 0;
  return before + Math.floor((before - 1) / groupSize);
}
