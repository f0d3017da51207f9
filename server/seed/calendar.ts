import { addDays, lastWeekday, nthWeekday, weekday, type IsoDate } from '../domain/dates.ts';

export interface GradingPeriodPlan {
  name: string;
  sequence: number;
  start: IsoDate;
  end: IsoDate;
}

export interface TermPlan {
  name: string;
  sequence: number;
  start: IsoDate;
  end: IsoDate;
  gradingPeriods: GradingPeriodPlan[];
}

export interface SchoolCalendar {
  yearName: string;
  start: IsoDate;
  end: IsoDate;
  terms: TermPlan[];
  holidays: Set<IsoDate>;
  /** Every instructional day of the year, in order. */
  schoolDays: IsoDate[];
}

function range(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** A typical US school year: late August to early June, two semesters of two quarters. */
export function schoolCalendar(today: IsoDate): SchoolCalendar {
  const todayYear = Number(today.slice(0, 4));
  // Until this year's first day of school, the current year is the one that began last August
  // (in July the demo shows the year just ended, not an empty one).
  const firstYear = today >= nthWeekday(todayYear, 8, 1, 4) ? todayYear : todayYear - 1;
  const start = nthWeekday(firstYear, 8, 1, 4); // 4th Monday of August
  const end = addDays(nthWeekday(firstYear + 1, 6, 1, 1), 4); // Friday of the first week of June
  const thanksgiving = nthWeekday(firstYear, 11, 4, 4);
  const winterStart = addDays(nthWeekday(firstYear, 12, 1, 3), 0); // 3rd Monday of December
  const springBreak = nthWeekday(firstYear + 1, 3, 1, 3);
  const holidays = new Set<IsoDate>([
    nthWeekday(firstYear, 9, 1, 1), // Labor Day
    addDays(nthWeekday(firstYear, 10, 1, 3), 3), // teacher workshop (MEA) Thursday
    addDays(nthWeekday(firstYear, 10, 1, 3), 4),
    addDays(thanksgiving, -1),
    thanksgiving,
    addDays(thanksgiving, 1),
    ...range(winterStart, addDays(winterStart, 13)),
    nthWeekday(firstYear + 1, 1, 1, 3), // Martin Luther King Jr. Day
    nthWeekday(firstYear + 1, 2, 1, 3), // Presidents' Day
    ...range(springBreak, addDays(springBreak, 4)),
    lastWeekday(firstYear + 1, 5, 1), // Memorial Day
  ]);
  const schoolDays = range(start, end).filter((day) => weekday(day) % 6 !== 0 && !holidays.has(day));
  const at = (fraction: number) => schoolDays[Math.floor(schoolDays.length * fraction)]!;
  const s1End = addDays(at(0.5), -1);
  const q1End = addDays(at(0.25), -1);
  const q3End = addDays(at(0.75), -1);
  const terms: TermPlan[] = [
    {
      name: 'Semester 1', sequence: 1, start, end: s1End,
      gradingPeriods: [
        { name: 'Quarter 1', sequence: 1, start, end: q1End },
        { name: 'Quarter 2', sequence: 2, start: at(0.25), end: s1End },
      ],
    },
    {
      name: 'Semester 2', sequence: 2, start: at(0.5), end,
      gradingPeriods: [
        { name: 'Quarter 3', sequence: 1, start: at(0.5), end: q3End },
        { name: 'Quarter 4', sequence: 2, start: at(0.75), end },
      ],
    },
  ];
  return { yearName: `${firstYear}-${String(firstYear + 1).slice(2)}`, start, end, terms, holidays, schoolDays };
}
