/**
 * Which of the user's students the portal shows: a guardian with several children picks one,
 * and every tab follows. Kept on the device per account (removed at sign-out with the other
 * `homeroom.` keys), so a reload or going offline keeps the same child.
 */
import { subscribeSession } from './session.ts';

export type SelectedStudentListener = (studentId: string | undefined) => void;

const storageKey = 'homeroom.student';
const listeners = new Set<SelectedStudentListener>();
let selected: string | undefined = read();

function read(): string | undefined {
  try {
    return localStorage.getItem(storageKey) ?? undefined;
  } catch {
    return undefined; // storage blocked: the choice lasts for this page only
  }
}

function notify(): void {
  for (const listener of [...listeners]) listener(selected);
}

/** The chosen student, if still one of the user's; otherwise their first (schools list by grade). */
export function selectedStudentId(available: readonly string[]): string | undefined {
  if (selected && available.includes(selected)) return selected;
  return available[0];
}

export function selectStudent(studentId: string): void {
  if (selected === studentId) return;
  selected = studentId;
  try {
    localStorage.setItem(storageKey, studentId);
  } catch {
    // Not kept across reloads: still followed in this page.
  }
  notify();
}

/** Calls `listener` now and whenever the choice changes; returns the unsubscribe function. */
export function subscribeSelectedStudent(listener: SelectedStudentListener): () => void {
  listeners.add(listener);
  listener(selected);
  return () => listeners.delete(listener);
}

// Signing out forgets the choice (the storage key goes with the other `homeroom.` keys).
subscribeSession((_me, event) => {
  if (event !== 'signed-out' || selected === undefined) return;
  selected = undefined;
  notify();
});
