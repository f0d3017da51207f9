/**
 * A demo district of the test file's own (client/test/api-server.mjs seeds it): every browser
 * test file that signs in or reads records calls `useOwnDistrict` once, with a name no other
 * file uses, so no file reads or writes what another file writes. Its demo accounts are named
 * after it (`hr-office-guardian`, …) and known before the district exists, so tests can name
 * them anywhere.
 */
import { setTestDistrict, testEndpoint } from './api.ts';
import { before } from './mocha.ts';

export interface DemoAccounts {
  /** A parent with three children in three schools (elementary, middle, high). */
  guardian: string;
  /** Her high-school child, who has a student account. */
  student: string;
  /** That student's English teacher. */
  teacher: string;
  /** Office staff at the high school. */
  office: string;
  principal: string;
  /** A district administrator. */
  admin: string;
}

export interface OwnDistrict extends DemoAccounts {
  /** The district's id, once seeded (in the file's first `before` hook). */
  readonly id: string;
  /** The day it was seeded for, which is today for the API and the page. */
  readonly today: string;
}

declare global {
  interface Window {
    /** Moves the page's clock (client/test/clock-shim.mjs). */
    __homeroomSetClockOffset?: (offsetMs: number) => void;
  }
}

/**
 * Seeds this file's district before its tests: for the run's day, or with `day: 'school-day'`
 * for the last school day on or before it (a file whose tests need classes today says so).
 */
export function useOwnDistrict(name: string, options: { students?: number; day?: 'run' | 'school-day' } = {}): OwnDistrict {
  const state = { id: '', today: '' };
  const account = (role: keyof DemoAccounts) => `${name}-${role}`;
  before(async function () {
    this.timeout(120_000);
    const seeded = await testEndpoint<{ id: string; today: string; clockOffsetMs: number }>('district', { name, ...options });
    state.id = seeded.id;
    state.today = seeded.today;
    window.__homeroomSetClockOffset?.(seeded.clockOffsetMs);
    setTestDistrict(seeded.id);
  });
  return {
    get id() {
      if (!state.id) throw new Error(`the district ${name} is seeded in a before hook: read its id inside a test`);
      return state.id;
    },
    get today() {
      if (!state.today) throw new Error(`the district ${name} is seeded in a before hook: read its day inside a test`);
      return state.today;
    },
    guardian: account('guardian'),
    student: account('student'),
    teacher: account('teacher'),
    office: account('office'),
    principal: account('principal'),
    admin: account('admin'),
  };
}
