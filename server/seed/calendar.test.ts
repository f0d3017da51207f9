import { describe, expect, it } from 'vitest';
import { weekday } from '../domain/dates.ts';
import { schoolCalendar } from './calendar.ts';

describe('schoolCalendar', () => {
  it('runs late August to early June in two semesters of two quarters, on weekdays that are not holidays', () => {
    const year = schoolCalendar('2026-11-24');
    expect(year).toMatchObject({ yearName: '2026-27', start: '2026-08-24', end: '2027-06-11' });
    expect(year.terms.map((t) => t.gradingPeriods.length)).toEqual([2, 2]);
    expect(year.schoolDays.length).toBeGreaterThan(160);
    expect(year.schoolDays.length).toBeLessThanOrEqual(190);
    for (const day of year.schoolDays) {
      expect(weekday(day) % 6).not.toBe(0);
      expect(year.holidays.has(day)).toBe(false);
    }
    expect(year.holidays.has('2026-11-26')).toBe(true); // Thanksgiving
  });

  it('shows the year just ended in the summer, and the new one from its first day', () => {
    expect(schoolCalendar('2027-07-15').yearName).toBe('2026-27');
    expect(schoolCalendar('2027-08-20').yearName).toBe('2026-27');
    expect(schoolCalendar('2027-08-23').yearName).toBe('2027-28');
    expect(schoolCalendar('2027-01-10').yearName).toBe('2026-27');
  });
});
