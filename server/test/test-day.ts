/**
 * One clock per test run. Every fixture (vitest's app fixtures, the browser tests' API server,
 * the end-to-end server) seeds its district for the run's day, and the apps it serves (the
 * server's `clock`, and the browser's `Date` through client/test/clock-shim.mjs) take that day
 * as today. The day is fixed, so a run does not depend on the calendar day it happens on;
 * `HOMEROOM_TEST_DAY=2026-12-05 npm test` runs the whole suite on another one (a Saturday, a
 * holiday, the last day of a term). A test that needs a school day asks for one (`schoolDay`).
 */
import { addDays, isIsoDate, type IsoDate } from '../domain/dates.ts';
import { schoolCalendar } from '../seed/calendar.ts';

/** A Tuesday in the demo school year. */
export const DEFAULT_TEST_DAY: IsoDate = '2026-11-24';

/** The run's day: `HOMEROOM_TEST_DAY`, or the default. A malformed value stops the run. */
export function testDay(env: Record<string, string | undefined> = process.env): IsoDate {
  const day = env.HOMEROOM_TEST_DAY?.trim();
  if (!day) return DEFAULT_TEST_DAY;
  if (!isIsoDate(day)) throw new Error(`HOMEROOM_TEST_DAY must be a date like 2026-11-24, got "${day}"`);
  return day;
}

/** The last day with school on or before `day`, in the demo district's calendar (weekends and holidays skipped). */
export function schoolDayOnOrBefore(day: IsoDate): IsoDate {
  const calendar = schoolCalendar(day);
  const days = new Set(calendar.schoolDays);
  for (let candidate = day, steps = 0; steps < 400; candidate = addDays(candidate, -1), steps++) {
    if (days.has(candidate)) return candidate;
  }
  throw new Error(`no school day on or before ${day}`);
}

/** What a test asks for: the run's day as it is, or the run's day moved back to a school day. */
export type DayWanted = 'run' | 'school-day';

export function dayFor(wanted: DayWanted = 'run', run: IsoDate = testDay()): IsoDate {
  return wanted === 'school-day' ? schoolDayOnOrBefore(run) : run;
}

/** 15:00 UTC: mid-morning in the demo district (America/Chicago), the same calendar day everywhere from UTC-9 to UTC+8. */
export function morningOf(day: IsoDate): Date {
  return new Date(`${day}T15:00:00Z`);
}

/**
 * A clock that reads `day` mid-morning when made and then runs at real speed (tokens expire,
 * sync times move on). `offsetMs` is what it adds to the real time: the browser's clock shim
 * takes the same offset, so page and server agree on the time.
 */
export interface TestClock {
  now(): Date;
  readonly offsetMs: number;
  readonly day: IsoDate;
}

export function tickingClock(day: IsoDate): TestClock {
  const offsetMs = morningOf(day).getTime() - Date.now();
  return { day, offsetMs, now: () => new Date(Date.now() + offsetMs) };
}
