import { plantDistrictWords } from './district-words.ts';
import { createHash } from 'node:crypto';
import type { Store } from '../db/store.ts';
import { hashPassword, UNUSABLE_PASSWORD } from '../access/passwords.ts';
import { DEVELOPMENT_MFA_KEY, SecretBox, totpCode, totpSecretFromBytes } from '../access/second-factor.ts';
import { addDays, daysBetween, type IsoDate } from '../domain/dates.ts';
import { calculateGrade, markFor, type GradeCategory, type GradeScore } from '../domain/grade-calc.ts';
import { announcementTemplates } from './announcements.ts';
import { schoolCalendar, type SchoolCalendar } from './calendar.ts';
import {
  attendanceReasons,
  elementaryCourses,
  elementaryStandards,
  immunizationRequirements,
  letterScale,
  proficiencyScale,
  secondaryCourses,
  trainings,
  type CourseTemplate,
} from './catalog.ts';
import { cities, namePools, region, streets, type HomeLanguage } from './names.ts';
import { hashString, IdMaker, Random } from './random.ts';
import { BulkSink } from './sink.ts';

/** Every demo account signs in with this password (printed at start and in the README). */
export const DEMO_PASSWORD = 'homeroom-demo';
export const DEMO_ROLES = ['guardian', 'student', 'teacher', 'office', 'principal', 'admin'] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];
/** Demo staff holding tool rights: seeded with an authenticator already enrolled (demoTotpSecret). */
export const DEMO_SECOND_FACTOR_ROLES: readonly DemoRole[] = ['office', 'principal', 'admin'];

/**
 * The TOTP secret of a demo account, derived from the seed, the district and the username (so
 * every district and every account has its own), printed at start so a person can add it to an
 * authenticator app. Public like the demo password: only for the demo district.
 */
export function demoTotpSecret(options: Pick<SeedOptions, 'seed' | 'slug'>, username: string): string {
  return totpSecretFromBytes(createHash('sha256').update(`homeroom demo TOTP\n${options.seed}\n${options.slug}\n${username.toLowerCase()}`).digest().subarray(0, 20));
}

/** The code an authenticator app holding a demo account's secret shows at `at` (tests pass the app's clock). */
export function demoTotpCode(options: Pick<SeedOptions, 'seed' | 'slug'>, username: string, at: Date): string {
  return totpCode(demoTotpSecret(options, username), at);
}

export interface SeedOptions {
  seed: number;
  students: number;
  /** The district's "today": the school year runs up to it. */
  today: IsoDate;
  slug: string;
  name: string;
  /** Demo accounts are `${demoPrefix}-guardian` etc. */
  demoPrefix: string;
  /** Put before generated usernames so two districts on one deployment never collide. */
  usernameTag: string;
  /**
   * What seeds the random choices (the slug when absent). Two districts with one key and seed
   * have the same schools, people and records under their own ids: test files each get a copy
   * of the demo district this way.
   */
  randomKey?: string;
  /** The key sealing the demo staff's TOTP secrets: the server's MFA_KEY (the development key when absent). */
  mfaKey?: Uint8Array;
}

export interface SeedSummary {
  districtId: string;
  rows: Record<string, number>;
  demoUsernames: Record<DemoRole, string>;
}

export function defaultSeedOptions(today: IsoDate): SeedOptions {
  return { seed: 2026, students: 1200, today, slug: 'riverbend', name: 'Riverbend Public Schools', demoPrefix: 'demo', usernameTag: '' };
}

type Level = 'elementary' | 'middle' | 'high';
type Role = 'teacher' | 'counselor' | 'nurse' | 'office' | 'principal' | 'district_admin';

interface SchoolPlan {
  id: string;
  code: string;
  name: string;
  level: Level;
  gradeLow: number;
  gradeHigh: number;
  periods: string[];
  termIds: string[];
  gradingPeriods: { id: string; termIndex: number; start: IsoDate; end: IsoDate }[];
  roomIds: string[];
  staff: Map<Role, string[]>;
}

interface StudentPlan {
  id: string;
  personId: string;
  grade: number;
  language: HomeLanguage;
  familyIndex: number;
  school: SchoolPlan;
  ability: number;
  trend: number;
  absenceRate: number;
  /** S1 sections the student sits in, with their teacher and period. */
  sections: SectionPlan[];
  /** The sections of each term (index as in the calendar's terms): a class's marks belong to the term of their day. */
  sectionsByTerm: SectionPlan[][];
}

interface SectionPlan {
  id: string;
  termIndex: number;
  school: SchoolPlan;
  course: CourseTemplate;
  courseId: string;
  periodId: string;
  teacherStaffId: string;
  method: 'weighted' | 'points';
  students: StudentPlan[];
  standards: string[];
  gradingTasks: { quarter: string; semester: string };
  elementary: boolean;
}

const LANGUAGES: ReadonlyArray<readonly [HomeLanguage, number]> = [['en', 55], ['es', 25], ['so', 10], ['vi', 10]];
const GRADES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const levelOf = (grade: number): Level => (grade <= 5 ? 'elementary' : grade <= 8 ? 'middle' : 'high');

function ascii(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/[^a-z]/g, '');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Builds the whole district in one transaction: all of it lands, or none of it. */
export async function seedDistrict(store: Store, options: SeedOptions): Promise<SeedSummary> {
  if (!Number.isInteger(options.students) || options.students < 100 || options.students > 100_000) {
    throw new RangeError('students must be a whole number from 100 to 100000');
  }
  const demoHashes = new Map<DemoRole, string>();
  const saltRandom = new Random(options.seed, 'salts');
  for (const role of DEMO_ROLES) {
    demoHashes.set(role, await hashPassword(DEMO_PASSWORD, Buffer.from(saltRandom.hex(32), 'hex')));
  }
  const summary = await store.transaction(async (tx) => {
    const sink = await BulkSink.open(tx);
    const generator = new DistrictGenerator(options, sink, demoHashes);
    await sink.holdSeq(generator.districtId);
    // The grant triggers wait for the whole district (migration 0017): one refresh at the end, not one per batch.
    await tx.query(`SELECT set_config('homeroom.bulk_load', 'on', true)`);
    // PGlite is the process's own store (a superuser session, no other writer, no listener yet): rows go in
    // without per-row triggers (foreign-key checks, notifications), and every foreign key is checked once below.
    // The generator writes what the row triggers would (seq, graded_at, grade_level): the PostgreSQL test compares.
    const deferChecks = store.kind === 'pglite';
    if (deferChecks) await tx.query(`SELECT set_config('session_replication_role', 'replica', true)`);
    await generator.run();
    await sink.flushAll();
    if (deferChecks) {
      await tx.query(`SELECT set_config('session_replication_role', 'origin', true)`);
      await sink.checkForeignKeys(generator.districtId);
    }
    await tx.query(`SELECT set_config('homeroom.bulk_load', 'off', true)`);
    // The grants' chains join the district's new rows: without statistics the planner takes them
    // for empty tables and nests loops (a 1,200-student district took over ten minutes on PGlite).
    await tx.exec('ANALYZE');
    await tx.query('SELECT refresh_access_grants($1, NULL, NULL)', [generator.districtId]);
    await plantDistrictWords(tx, generator.districtId);
    // The tables written since: every other one has its statistics already (PGlite runs no autovacuum).
    await tx.exec('ANALYZE access_grants, district_words');
    return {
      districtId: generator.districtId,
      rows: Object.fromEntries([...sink.counts].sort(([a], [b]) => a.localeCompare(b))),
      demoUsernames: Object.fromEntries(DEMO_ROLES.map((role) => [role, `${options.demoPrefix}-${role}`])) as Record<DemoRole, string>,
    };
  });
  return summary;
}

class DistrictGenerator {
  readonly districtId: string;
  private readonly ids: IdMaker;
  private readonly random: Random;
  private readonly calendar: SchoolCalendar;
  private readonly schoolYearId: string;
  private readonly schools: SchoolPlan[] = [];
  private readonly students: StudentPlan[] = [];
  private readonly reasonIds = new Map<string, string>();
  private readonly trainingIds = new Map<string, string>();
  private readonly scaleIds = { letter: '', proficiency: '' };
  private readonly demoPeople = new Map<DemoRole, string>();
  private readonly accountByPerson = new Map<string, string>();
  private readonly usedUsernames = new Set<string>();
  private readonly sectionsByStudent = new Map<string, SectionPlan[]>();
  private readonly allSections: SectionPlan[] = [];
  private demoFamily: StudentPlan[] = [];
  private studentNumber = 0;
  private employeeNumber = 0;

  constructor(
    private readonly options: SeedOptions,
    private readonly sink: BulkSink,
    private readonly demoHashes: Map<DemoRole, string>,
  ) {
    this.ids = new IdMaker(options.seed, options.slug);
    this.random = new Random(options.seed, options.randomKey ?? options.slug);
    this.districtId = this.ids.next('district');
    this.schoolYearId = this.ids.next('school_year');
    this.calendar = schoolCalendar(options.today);
  }

  private get d() {
    return this.districtId;
  }

  /** Today, or the last day of the year when the year is over. */
  private get lastDay(): IsoDate {
    return this.options.today < this.calendar.end ? this.options.today : this.calendar.end;
  }

  private pastDaysCache: IsoDate[] | null = null;

  /** School days up to today. */
  private get pastDays(): IsoDate[] {
    this.pastDaysCache ??= this.calendar.schoolDays.filter((day) => day <= this.lastDay);
    return this.pastDaysCache;
  }

  async run(): Promise<void> {
    this.district();
    this.plantSchools();
    this.plantStaff();
    this.plantFamilies();
    await this.sink.drain();
    for (const school of this.schools) {
      this.plantSchedules(school);
      await this.sink.drain();
    }
    this.plantStaffAccounts();
    for (const section of this.allSections) {
      this.plantCoursework(section);
      await this.sink.drain();
    }
    for (const student of this.students) {
      this.plantAttendance(student);
      this.plantHealth(student);
      this.plantFees(student);
      await this.sink.drain();
    }
    this.plantCommunications();
    this.plantRecipients();
    this.plantHouseholdRequests();
    this.plantAccessHistory();
  }

  // ── District, scales, codes ────────────────────────────────────────────────────────────

  private district(): void {
    const { sink, d } = this;
    sink.add('districts', { id: d, slug: this.options.slug, name: this.options.name, timezone: 'America/Chicago', default_language: 'en', currency: 'USD', lockout_threshold: 3, missing_counts_as_zero: true });
    // The district is generated as it stands today: the daily date job has nothing older to catch up on.
    sink.add('daily_jobs', { district_id: d, job: 'date_windows', last_date: this.options.today, finished_at: `${this.options.today}T00:00:00Z` });
    sink.add('school_years', { district_id: d, id: this.schoolYearId, name: this.calendar.yearName, start_date: this.calendar.start, end_date: this.calendar.end });
    this.scaleIds.letter = this.ids.next('grading_scale');
    this.scaleIds.proficiency = this.ids.next('grading_scale');
    sink.add('grading_scales', { district_id: d, id: this.scaleIds.letter, name: 'Letter grades', kind: 'letter' });
    sink.add('grading_scales', { district_id: d, id: this.scaleIds.proficiency, name: 'Standards proficiency', kind: 'proficiency' });
    for (const band of letterScale) {
      sink.add('grading_scale_bands', { district_id: d, id: this.ids.next('band'), grading_scale_id: this.scaleIds.letter, mark: band.mark, label: null, min_percent: band.min, grade_points: band.points, passing: band.passing });
    }
    for (const band of proficiencyScale) {
      sink.add('grading_scale_bands', { district_id: d, id: this.ids.next('band'), grading_scale_id: this.scaleIds.proficiency, mark: band.mark, label: band.label, min_percent: band.min, grade_points: null, passing: band.passing });
    }
    for (const reason of attendanceReasons) {
      const id = this.ids.next('attendance_reason');
      this.reasonIds.set(reason.code, id);
      sink.add('attendance_reasons', { district_id: d, id, code: reason.code, label: reason.label, excuse: reason.excuse });
    }
    for (const training of trainings) {
      const id = this.ids.next('training');
      this.trainingIds.set(training.code, id);
      sink.add('trainings', { district_id: d, id, code: training.code, name: training.name, valid_months: training.validMonths });
    }
    for (const req of immunizationRequirements) {
      sink.add('immunization_requirements', { district_id: d, id: this.ids.next('immunization_requirement'), vaccine: req.vaccine, grade_low: req.gradeLow, grade_high: req.gradeHigh, doses_required: req.doses });
    }
  }

  // ── Schools, terms, bells, rooms ───────────────────────────────────────────────────────

  private plantSchools(): void {
    const perGrade = this.options.students / GRADES.length;
    const count = (level: Level, grades: number, size: number) => Math.max(1, Math.round((perGrade * grades) / size));
    const plan: Array<[Level, number, number, number]> = [
      ['elementary', count('elementary', 6, 450), 0, 5],
      ['middle', count('middle', 3, 700), 6, 8],
      ['high', count('high', 4, 1400), 9, 12],
    ];
    const names: Record<Level, string[]> = {
      elementary: ['Lakeview', 'Cedar', 'Whittier', 'Hiawatha', 'Northrop', 'Bancroft', 'Longfellow', 'Sullivan', 'Pillsbury', 'Seward'],
      middle: ['Riverside', 'Sanford', 'Anwatin', 'Franklin', 'Folwell'],
      high: ['Riverbend', 'Roosevelt', 'Washburn', 'Southwest', 'Edison'],
    };
    const suffix: Record<Level, string> = { elementary: 'Elementary School', middle: 'Middle School', high: 'High School' };
    const prefix: Record<Level, string> = { elementary: 'E', middle: 'M', high: 'H' };
    for (const [level, n, low, high] of plan) {
      for (let i = 0; i < n; i++) {
        const base = names[level][i % names[level].length]!;
        const round = Math.floor(i / names[level].length);
        const school: SchoolPlan = {
          id: this.ids.next('school'),
          code: `${prefix[level]}${String(i + 1).padStart(3, '0')}`,
          name: `${base}${round > 0 ? ` ${round + 1}` : ''} ${suffix[level]}`,
          level, gradeLow: low, gradeHigh: high,
          periods: [], termIds: [], gradingPeriods: [], roomIds: [], staff: new Map(),
        };
        this.schools.push(school);
        this.sink.add('schools', {
          district_id: this.d, id: school.id, code: school.code, name: school.name, level, grade_low: low, grade_high: high,
          address: `${100 + i * 40} ${this.random.pick(streets)}, Riverbend, ${region}`,
          phone: `(612) 555-${String(1000 + this.schools.length * 37).slice(-4)}`,
          grading_scale_id: level === 'elementary' ? this.scaleIds.proficiency : this.scaleIds.letter,
          rounding_decimals: 1,
          student_accounts_from_grade: level === 'elementary' ? null : level === 'middle' ? 6 : 9,
          lockout_threshold: null,
        });
        this.plantTermsAndBells(school);
        for (const day of this.calendar.schoolDays) this.sink.add('school_days', { district_id: this.d, school_id: school.id, date: day });
      }
    }
  }

  private plantTermsAndBells(school: SchoolPlan): void {
    const { sink, d } = this;
    this.calendar.terms.forEach((term, termIndex) => {
      const termId = this.ids.next('term');
      school.termIds.push(termId);
      sink.add('terms', { district_id: d, id: termId, school_id: school.id, school_year_id: this.schoolYearId, name: term.name, sequence: term.sequence, start_date: term.start, end_date: term.end });
      for (const period of term.gradingPeriods) {
        const id = this.ids.next('grading_period');
        school.gradingPeriods.push({ id, termIndex, start: period.start, end: period.end });
        sink.add('grading_periods', { district_id: d, id, term_id: termId, name: period.name, sequence: period.sequence, start_date: period.start, end_date: period.end });
      }
    });
    const bellId = this.ids.next('bell_schedule');
    sink.add('bell_schedules', { district_id: d, id: bellId, school_id: school.id, name: 'Regular day', is_default: true });
    const blocks = school.level === 'elementary' ? 5 : 6;
    const startMinutes = school.level === 'elementary' ? 8 * 60 + 40 : school.level === 'middle' ? 8 * 60 + 10 : 7 * 60 + 50;
    const length = school.level === 'elementary' ? 60 : 52;
    const time = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    for (let p = 0; p < blocks; p++) {
      const id = this.ids.next('period');
      school.periods.push(id);
      const lunch = p >= 3 ? 30 : 0;
      const begin = startMinutes + p * (length + 6) + lunch;
      sink.add('periods', { district_id: d, id, bell_schedule_id: bellId, name: school.level === 'elementary' ? `Block ${p + 1}` : `Period ${p + 1}`, sequence: p + 1, start_time: time(begin), end_time: time(begin + length), is_instructional: true });
    }
  }

  // ── Staff, roles, trainings, rights ────────────────────────────────────────────────────

  private person(language: HomeLanguage, gender: 'F' | 'M', familyName?: string, birthYear?: number, emailDomain?: string): { id: string; first: string; last: string; middle: string | null } {
    const pool = namePools[language];
    const first = this.random.pick(gender === 'F' ? pool.female : pool.male);
    const last = familyName ?? this.random.pick(pool.family);
    const middlePool = gender === 'F' ? pool.middleFemale : pool.middleMale;
    const middle = middlePool ? this.random.pick(middlePool) : null;
    const id = this.ids.next('person');
    const year = birthYear ?? this.random.int(1968, 1995);
    const birth = `${year}-${String(this.random.int(1, 12)).padStart(2, '0')}-${String(this.random.int(1, 28)).padStart(2, '0')}`;
    const adult = year < 2005;
    // Staff have district addresses; most adults at home have a personal one.
    const email = emailDomain
      ? `${ascii(first)}.${ascii(last)}${this.random.int(1, 99)}@${emailDomain}`
      : adult && this.random.chance(0.85) ? `${ascii(first)}.${ascii(last)}${this.random.int(1, 99)}@example.com` : null;
    this.sink.add('people', {
      district_id: this.d, id, first_name: first, middle_name: middle, last_name: last, preferred_name: null,
      birth_date: birth, gender, email, preferred_language: language,
    });
    return { id, first, last, middle };
  }

  private staffMember(role: Role, school: SchoolPlan | null, title: string): string {
    const language = this.random.weighted<HomeLanguage>([['en', 80], ['es', 9], ['so', 6], ['vi', 5]]);
    const person = this.person(language, this.random.chance(0.7) ? 'F' : 'M', undefined, undefined, `${this.options.slug}.example.org`);
    const staffId = this.ids.next('staff');
    this.employeeNumber += 1;
    this.sink.add('staff', { district_id: this.d, id: staffId, person_id: person.id, employee_number: `E${String(this.employeeNumber).padStart(6, '0')}`, title, active: true });
    this.personNames.set(person.id, person);
    return this.assignRole(staffId, person.id, role, school);
  }

  private assignRole(staffId: string, personId: string, role: Role, school: SchoolPlan | null): string {
    this.sink.add('staff_locations', { district_id: this.d, id: this.ids.next('staff_location'), staff_id: staffId, school_id: school?.id ?? null, role, start_date: this.calendar.start, end_date: null });
    if (school) {
      const list = school.staff.get(role) ?? [];
      list.push(staffId);
      school.staff.set(role, list);
    }
    this.staffPeople.set(staffId, personId);
    return staffId;
  }

  private readonly staffPeople = new Map<string, string>();
  private readonly personNames = new Map<string, { id: string; first: string; last: string }>();
  private readonly guardiansOf = new Map<string, string[]>();
  private readonly households: Array<{ id: string; guardianPersonId: string }> = [];
  private readonly districtAdmins: string[] = [];

  private plantStaff(): void {
    this.districtAdmins.push(this.staffMember('district_admin', null, 'Director of Student Information'));
    this.districtAdmins.push(this.staffMember('district_admin', null, 'Student Information Specialist'));
    for (const school of this.schools) {
      this.staffMember('principal', school, 'Principal');
      this.staffMember('office', school, 'Office Manager');
      this.staffMember('office', school, 'Attendance Secretary');
      this.staffMember('nurse', school, 'School Nurse');
      if (school.level !== 'elementary') this.staffMember('counselor', school, 'School Counselor');
    }
    // Trainings and tool rights: most current, one expiring within 30 days, one lapsed.
    const today = this.options.today;
    let n = 0;
    for (const school of this.schools) {
      const principal = school.staff.get('principal')![0]!;
      const grants: Array<[Role, string, string]> = [
        ['nurse', 'health', 'HEALTH'],
        ['office', 'accounts', 'ACCOUNTS'],
        ['office', 'attendance_admin', 'FERPA'],
        ['office', 'fees', 'FEES'],
        ['office', 'announcements', 'FERPA'],
        // The registrar's desk: posted grades change only through the office.
        ['office', 'grades_admin', 'FERPA'],
        ['counselor', 'health', 'HEALTH'],
      ];
      for (const [role, tool, training] of grants) {
        const holders = school.staff.get(role) ?? [];
        for (const staffId of role === 'office' && tool !== 'accounts' ? holders.slice(0, 1) : holders) {
          n += 1;
          // The demo staff's school keeps every right current, so the demo accounts can do their jobs.
          const demoSchool = school === this.schools.find((s) => s.level === 'high');
          const lapse = demoSchool ? 150 + (n % 100) : n % 17 === 0 ? -20 : n % 11 === 0 ? 18 : 120 + (n % 200);
          this.grantRight(staffId, tool, school.id, training, principal, addDays(today, lapse));
        }
      }
      for (const tool of ['access_log', 'grades_admin', 'staff_admin', 'announcements', 'accounts']) {
        this.grantRight(principal, tool, school.id, 'FERPA', this.districtAdmins[0]!, addDays(today, 200));
      }
    }
    this.grantRight(this.districtAdmins[0]!, 'staff_admin', null, 'FERPA', this.districtAdmins[1]!, addDays(today, 300));
    this.grantRight(this.districtAdmins[0]!, 'accounts', null, 'ACCOUNTS', this.districtAdmins[1]!, addDays(today, 300));
    this.grantRight(this.districtAdmins[0]!, 'access_log', null, 'FERPA', this.districtAdmins[1]!, addDays(today, 300));
    this.grantRight(this.districtAdmins[0]!, 'announcements', null, 'FERPA', this.districtAdmins[1]!, addDays(today, 300));
    this.grantRight(this.districtAdmins[1]!, 'staff_admin', null, 'FERPA', this.districtAdmins[0]!, addDays(today, 25));
    // Each school's office manager enrols the media center's shared computers.
    for (const school of this.schools) {
      const manager = school.staff.get('office')?.[0];
      if (manager) this.grantRight(manager, 'kiosks', school.id, 'FERPA', school.staff.get('principal')![0]!, addDays(today, 180));
    }
  }

  private readonly trainedStaff = new Set<string>();

  private grantRight(staffId: string, tool: string, schoolId: string | null, trainingCode: string, approver: string, expires: IsoDate): void {
    const trainingId = this.trainingIds.get(trainingCode)!;
    const key = `${staffId}:${trainingCode}`;
    if (!this.trainedStaff.has(key)) {
      this.trainedStaff.add(key);
      const completed = addDays(this.options.today, -this.random.int(30, 300));
      this.sink.add('staff_trainings', { district_id: this.d, id: this.ids.next('staff_training'), staff_id: staffId, training_id: trainingId, completed_on: completed, expires_on: addDays(completed, 365) });
    }
    this.sink.add('tool_rights', {
      district_id: this.d, id: this.ids.next('tool_right'), staff_id: staffId, tool, school_id: schoolId, required_training_id: trainingId,
      approved_by_staff_id: approver, approved_on: addDays(expires, -365), expires_on: expires,
    });
  }

  // ── Families, students, guardians ──────────────────────────────────────────────────────

  private plantFamilies(): void {
    const total = this.options.students;
    const grades: number[] = [];
    for (let i = 0; i < total; i++) grades.push(GRADES[i % GRADES.length]!);
    // Shuffle so siblings land in any grades (Fisher-Yates).
    for (let i = grades.length - 1; i > 0; i--) {
      const j = Math.floor(this.random.next() * (i + 1));
      [grades[i], grades[j]] = [grades[j]!, grades[i]!];
    }
    // The demo family first: three children in an elementary, a middle and a high school.
    const demoGrades = [3, 7, 10];
    for (const g of demoGrades) grades.splice(grades.indexOf(g), 1);
    let familyIndex = 0;
    this.plantFamily(familyIndex++, demoGrades, 'es', true);
    for (let next = 0; next < grades.length; ) {
      const size = Math.min(grades.length - next, this.random.weighted([[1, 35], [2, 38], [3, 18], [4, 9]]));
      this.plantFamily(familyIndex++, grades.slice(next, next + size), this.random.weighted(LANGUAGES), false);
      next += size;
    }
  }

  private schoolFor(level: Level, familyIndex: number): SchoolPlan {
    const options = this.schools.filter((s) => s.level === level);
    return options[familyIndex % options.length]!;
  }

  private plantFamily(familyIndex: number, childGrades: number[], language: HomeLanguage, demo: boolean): void {
    const { sink, d, random } = this;
    const year = Number(this.calendar.start.slice(0, 4));
    const split = !demo && random.chance(0.08);
    const singleParent = !demo && !split && random.chance(0.22);
    const pool = namePools[language];
    const fatherFamily = random.pick(pool.family);
    const mother = this.person(language, 'F', language === 'en' ? fatherFamily : undefined, undefined, demo ? 'example.com' : undefined);
    const father = singleParent ? null : this.person(language, 'M', fatherFamily);
    // Somali children carry their father's given name as their family name.
    const childFamily = language === 'so' && father ? father.first : fatherFamily;
    const householdIds = [this.ids.next('household')];
    if (split) householdIds.push(this.ids.next('household'));
    const householdName = (who: { last: string }) => `${who.last} household`;
    sink.add('households', { district_id: d, id: householdIds[0]!, name: householdName(mother), primary_language: language });
    if (split) sink.add('households', { district_id: d, id: householdIds[1]!, name: householdName(father!), primary_language: language });
    const motherHome = householdIds[0]!;
    const fatherHome = split ? householdIds[1]! : householdIds[0]!;
    for (const [index, householdId] of householdIds.entries()) {
      const city = random.pick(cities);
      sink.add('addresses', {
        district_id: d, id: this.ids.next('address'), household_id: householdId, kind: 'home',
        line1: `${random.int(100, 4999)} ${random.pick(streets)}`, line2: random.chance(0.3) ? `Apt ${random.int(1, 40)}` : null,
        city: city.city, region, postal_code: random.pick(city.postal),
      });
      if (random.chance(0.35)) {
        sink.add('phones', { district_id: d, id: this.ids.next('phone'), household_id: householdId, person_id: null, kind: 'home', number: `(612) 555-${String(random.int(0, 9999)).padStart(4, '0')}`, sms_ok: false });
      }
      sink.add('household_members', { district_id: d, id: this.ids.next('household_member'), household_id: householdId, person_id: index === 0 ? mother.id : father!.id, role: 'guardian' });
      if (!split && father) sink.add('household_members', { district_id: d, id: this.ids.next('household_member'), household_id: householdId, person_id: father.id, role: 'guardian' });
    }
    const guardians = [{ person: mother, relationship: 'mother', home: motherHome }, ...(father ? [{ person: father, relationship: 'father', home: fatherHome }] : [])];
    for (const guardian of guardians) if (guardian.home === householdIds[0] || split) this.households.push({ id: guardian.home, guardianPersonId: guardian.person.id });
    for (const guardian of guardians) {
      sink.add('phones', { district_id: d, id: this.ids.next('phone'), household_id: null, person_id: guardian.person.id, kind: 'mobile', number: `(612) 555-${String(random.int(0, 9999)).padStart(4, '0')}`, sms_ok: random.chance(0.7) });
      for (const purpose of ['emergency', 'attendance', 'general', 'teacher']) {
        sink.add('contact_preferences', { district_id: d, id: this.ids.next('contact_preference'), person_id: guardian.person.id, purpose, voice: purpose !== 'general', sms: purpose !== 'teacher' && random.chance(0.6), email: purpose !== 'emergency' || random.chance(0.5) });
      }
    }
    // A grandparent as an emergency contact without portal access, now and then.
    const grandparent = !demo && random.chance(0.12) ? this.person(language, 'F', undefined, random.int(1945, 1965)) : null;
    const children: StudentPlan[] = [];
    for (const grade of childGrades) {
      const gender = random.chance(0.5) ? 'F' : 'M';
      const birthYear = year - 5 - grade - (random.chance(0.7) ? 0 : 1);
      const child = this.person(language, gender, childFamily, birthYear);
      this.personNames.set(child.id, child);
      const studentId = this.ids.next('student');
      this.studentNumber += 1;
      const school = demo ? this.schools.find((s) => s.level === levelOf(grade))! : this.schoolFor(levelOf(grade), familyIndex);
      const chronic = !demo && random.chance(0.05);
      const failing = !demo && random.chance(0.06);
      const student: StudentPlan = {
        id: studentId, personId: child.id, grade, language, familyIndex, school,
        ability: demo ? 0.86 : Math.min(0.98, Math.max(0.45, random.normal(0.82, 0.09))),
        trend: failing ? -0.3 : random.normal(0, 0.03),
        absenceRate: chronic ? random.int(11, 24) / 100 : Math.max(0, random.normal(0.03, 0.02)),
        sections: [],
        sectionsByTerm: this.calendar.terms.map(() => []),
      };
      this.students.push(student);
      children.push(student);
      sink.add('students', {
        district_id: d, id: studentId, person_id: child.id, student_number: String(100000 + this.studentNumber * 7),
        grade_level: grade, home_language: language, english_learner: language !== 'en' && random.chance(0.45),
      });
      sink.add('enrollments', { district_id: d, id: this.ids.next('enrollment'), student_id: studentId, school_id: school.id, school_year_id: this.schoolYearId, grade_level: grade, kind: 'primary', start_date: this.calendar.start, end_date: null, end_reason: null });
      for (const householdId of householdIds) {
        sink.add('household_members', { district_id: d, id: this.ids.next('household_member'), household_id: householdId, person_id: child.id, role: 'student' });
      }
      this.guardiansOf.set(studentId, guardians.map((g) => g.person.id));
      guardians.forEach((guardian, order) => {
        sink.add('guardianships', {
          district_id: d, id: this.ids.next('guardianship'), student_id: studentId, guardian_person_id: guardian.person.id,
          household_id: guardian.home, relationship: guardian.relationship, legal_rights: true, portal_access: true,
          contact_order: order + 1, emergency_contact: true, lives_with: !split || guardian.home === motherHome,
        });
      });
      if (grandparent) {
        sink.add('guardianships', {
          district_id: d, id: this.ids.next('guardianship'), student_id: studentId, guardian_person_id: grandparent.id,
          household_id: null, relationship: 'grandmother', legal_rights: false, portal_access: false,
          contact_order: guardians.length + 1, emergency_contact: true, lives_with: false,
        });
      }
    }
    if (demo) {
      this.demoFamily = children;
      this.demoPeople.set('guardian', mother.id);
      this.demoPeople.set('student', children.find((c) => c.grade === 10)!.personId);
    }
    // Accounts: one per guardian with portal access; students by school setting.
    for (const guardian of guardians) {
      const role: DemoRole | null = demo && guardian.relationship === 'mother' ? 'guardian' : null;
      this.account(guardian.person, role, demo || random.chance(0.75), language);
    }
    for (const child of children) {
      const from = child.school.level === 'middle' ? 6 : child.school.level === 'high' ? 9 : null;
      if (from === null || child.grade < from) continue;
      const role: DemoRole | null = demo && child.grade === 10 ? 'student' : null;
      this.account(this.personNames.get(child.personId)!, role, role !== null || random.chance(0.6), 'en');
    }
  }

  private account(person: { id: string; first: string; last: string }, demoRole: DemoRole | null, claimed: boolean, language: HomeLanguage): void {
    const id = this.ids.next('account');
    this.accountByPerson.set(person.id, id);
    const claimedAt = `${addDays(this.calendar.start, -this.random.int(1, 400))}T18:00:00Z`;
    if (demoRole) {
      const username = `${this.options.demoPrefix}-${demoRole}`;
      this.sink.add('accounts', {
        district_id: this.d, id, person_id: person.id, username, password_hash: this.demoHashes.get(demoRole)!,
        status: 'active', failed_logins: 0, disabled_reason: null, preferred_language: 'en', created_at: claimedAt, claimed_at: claimedAt,
        last_login_at: `${addDays(this.options.today, -1)}T19:30:00Z`, password_changed_at: claimedAt,
      });
      if (DEMO_SECOND_FACTOR_ROLES.includes(demoRole)) {
        const box = new SecretBox(this.options.mfaKey ?? DEVELOPMENT_MFA_KEY);
        this.sink.add('second_factors', {
          district_id: this.d, account_id: id, secret_sealed: box.seal(demoTotpSecret(this.options, username), { districtId: this.d, accountId: id }, { deterministic: true }),
          created_at: claimedAt, confirmed_at: claimedAt, last_used_step: null,
        });
      }
      return;
    }
    if (!claimed) {
      this.sink.add('accounts', {
        district_id: this.d, id, person_id: person.id, username: null, password_hash: null, status: 'unclaimed', failed_logins: 0,
        disabled_reason: null, preferred_language: language, created_at: claimedAt, claimed_at: null, last_login_at: null, password_changed_at: null,
      });
      this.sink.add('activation_keys', {
        district_id: this.d, id: this.ids.next('activation_key'), account_id: id, key_hash: sha256(`${this.options.slug}:${id}:${this.random.hex(24)}`),
        language, issued_at: `${this.calendar.start}T15:00:00Z`, issued_by_staff_id: null, expires_at: `${addDays(this.calendar.start, 120)}T15:00:00Z`, used_at: null, revoked_at: null,
      });
      return;
    }
    const base = `${this.options.usernameTag}${ascii(person.first)}.${ascii(person.last)}`.slice(0, 50);
    let username = base;
    for (let n = 2; this.usedUsernames.has(username); n++) username = `${base}${n}`;
    this.usedUsernames.add(username);
    // Demo-data accounts are claimed, but their owners' passwords are not part of the demo.
    this.sink.add('accounts', {
      district_id: this.d, id, person_id: person.id, username, password_hash: UNUSABLE_PASSWORD, status: 'active', failed_logins: 0,
      disabled_reason: null, preferred_language: language, created_at: claimedAt, claimed_at: claimedAt, last_login_at: null, password_changed_at: claimedAt,
    });
  }

  // ── Schedules: courses, sections, teachers, rosters ────────────────────────────────────

  private plantSchedules(school: SchoolPlan): void {
    const { sink, d } = this;
    const elementary = school.level === 'elementary';
    const cohortSize = elementary ? 24 : 28;
    const courses = new Map<string, { id: string; template: CourseTemplate; tasks: { quarter: string; semester: string }; standards: string[] }>();
    const courseFor = (template: CourseTemplate) => {
      const existing = courses.get(template.code);
      if (existing) return existing;
      const id = this.ids.next('course');
      sink.add('courses', { district_id: d, id, school_id: school.id, code: template.code, name: template.name, subject: template.subject, credits: template.credits, grading_kind: elementary ? 'standards' : 'letter' });
      const tasks = { quarter: this.ids.next('grading_task'), semester: this.ids.next('grading_task') };
      sink.add('grading_tasks', { district_id: d, id: tasks.quarter, course_id: id, name: elementary ? 'Progress report' : 'Quarter grade', kind: 'quarter', sequence: 1 });
      sink.add('grading_tasks', { district_id: d, id: tasks.semester, course_id: id, name: elementary ? 'Semester report' : 'Semester grade', kind: 'semester', sequence: 2 });
      const standards: string[] = [];
      if (elementary) {
        const subject = template.code.split('-')[0]!;
        for (const [code, description] of elementaryStandards[subject] ?? []) {
          const standardId = this.ids.next('standard');
          standards.push(standardId);
          sink.add('standards', { district_id: d, id: standardId, course_id: id, code: `${code}.${template.code.split('-')[1]}`, description });
        }
      }
      const created = { id, template, tasks, standards };
      courses.set(template.code, created);
      return created;
    };
    const teacherLoad = new Map<string, { periods: Set<number>; group: string }>();
    const teachersByGroup = new Map<string, string[]>();
    const teacherFor = (group: string, period: number): string => {
      for (const staffId of teachersByGroup.get(group) ?? []) {
        const load = teacherLoad.get(staffId)!;
        if (!load.periods.has(period) && load.periods.size < 5) {
          load.periods.add(period);
          return staffId;
        }
      }
      const staffId = this.staffMember('teacher', school, elementary && group !== 'SPEC' ? 'Classroom Teacher' : `${group} Teacher`);
      teacherLoad.set(staffId, { periods: new Set([period]), group });
      teachersByGroup.set(group, [...(teachersByGroup.get(group) ?? []), staffId]);
      return staffId;
    };
    for (let r = 0; r < (elementary ? 20 : 40); r++) {
      const id = this.ids.next('room');
      school.roomIds.push(id);
      sink.add('rooms', { district_id: d, id, school_id: school.id, name: `${elementary ? '' : 'Room '}${100 + r + Math.floor(r / 10) * 90}`, capacity: cohortSize + 4 });
    }
    const blocks = school.periods.length;
    for (let grade = school.gradeLow; grade <= school.gradeHigh; grade++) {
      const pupils = this.students.filter((s) => s.school === school && s.grade === grade);
      const cohorts = Math.max(1, Math.ceil(pupils.length / cohortSize));
      for (let c = 0; c < cohorts; c++) {
        const members = pupils.filter((_, i) => i % cohorts === c);
        if (members.length === 0) continue;
        const templates = elementary ? elementaryCourses(grade) : secondaryCourses(grade, c);
        templates.forEach((template, subjectIndex) => {
          const course = courseFor(template);
          const period = (subjectIndex + c) % blocks;
          const group = elementary ? (template.code.startsWith('SPEC') ? 'SPEC' : `homeroom-${grade}-${c}`) : template.subject;
          const teacher = teacherFor(group, period);
          const room = school.roomIds[(c * blocks + subjectIndex) % school.roomIds.length]!;
          // A class keeps its grading method from one term to the next (the draw per term is kept, so the rest of the district is as before).
          let kept: 'points' | 'weighted' | undefined;
          for (let termIndex = 0; termIndex < school.termIds.length; termIndex++) {
            const sectionId = this.ids.next('section');
            const drawn = !elementary && this.random.chance(0.3) ? 'points' : 'weighted';
            const method = (kept ??= drawn);
            sink.add('sections', { district_id: d, id: sectionId, school_id: school.id, course_id: course.id, term_id: school.termIds[termIndex]!, period_id: school.periods[period]!, room_id: room, section_number: String(c + 1), grading_method: elementary ? 'points' : method });
            sink.add('section_staff', { district_id: d, id: this.ids.next('section_staff'), section_id: sectionId, staff_id: teacher, role: 'primary', start_date: this.calendar.terms[termIndex]!.start, end_date: this.calendar.terms[termIndex]!.end });
            const section: SectionPlan = {
              id: sectionId, termIndex, school, course: template, courseId: course.id, periodId: school.periods[period]!, teacherStaffId: teacher,
              method: elementary ? 'points' : method, students: members, standards: course.standards, gradingTasks: course.tasks, elementary,
            };
            this.allSections.push(section);
            for (const student of members) {
              sink.add('section_enrollments', { district_id: d, id: this.ids.next('section_enrollment'), section_id: sectionId, student_id: student.id, start_date: this.calendar.terms[termIndex]!.start, end_date: null });
              if (termIndex === 0) student.sections.push(section);
              student.sectionsByTerm[termIndex]!.push(section);
            }
          }
        });
      }
    }
    // Counselors split their school's students by family name.
    const counselors = school.staff.get('counselor') ?? [];
    if (counselors.length > 0) {
      this.students.filter((s) => s.school === school).forEach((student, i) => {
        sink.add('counselor_caseloads', { district_id: d, id: this.ids.next('caseload'), staff_id: counselors[i % counselors.length]!, student_id: student.id });
      });
    }
    // Demo staff live at the demo student's high school.
    if (school === this.demoFamily.find((c) => c.grade === 10)?.school) {
      const english = this.demoFamily.find((c) => c.grade === 10)!.sections.find((s) => s.course.code === 'ENG-10')!;
      this.demoStaff.set('teacher', english.teacherStaffId);
      this.demoStaff.set('office', school.staff.get('office')![0]!);
      this.demoStaff.set('principal', school.staff.get('principal')![0]!);
      this.demoStaff.set('admin', this.districtAdmins[0]!);
    }
  }

  private readonly demoStaff = new Map<DemoRole, string>();

  // ── Coursework: categories, assignments, scores, grades, standards ─────────────────────

  private plantCoursework(section: SectionPlan): void {
    const { sink, d, random } = this;
    const term = this.calendar.terms[section.termIndex]!;
    if (term.start > this.lastDay) return; // a term that has not started has no coursework yet
    const categories: Array<GradeCategory & { name: string }> = section.elementary
      ? [{ id: this.ids.next('category'), name: 'Classwork', weight: 0, dropLowest: 0 }, { id: this.ids.next('category'), name: 'Assessments', weight: 0, dropLowest: 0 }]
      : [
          { id: this.ids.next('category'), name: 'Homework', weight: 20, dropLowest: 1 },
          { id: this.ids.next('category'), name: 'Classwork', weight: 20, dropLowest: 0 },
          { id: this.ids.next('category'), name: 'Quizzes', weight: 20, dropLowest: 0 },
          { id: this.ids.next('category'), name: 'Tests', weight: 40, dropLowest: 0 },
        ];
    for (const category of categories) {
      sink.add('assignment_categories', { district_id: d, id: category.id, section_id: section.id, name: category.name, weight: category.weight, drop_lowest: category.dropLowest });
    }
    const periods = section.school.gradingPeriods.filter((p) => p.termIndex === section.termIndex);
    const days = this.calendar.schoolDays.filter((day) => day >= term.start && day <= term.end);
    const assignments: Array<{ id: string; categoryId: string; possible: number; due: IsoDate; periodId: string }> = [];
    const counters = new Map<string, number>();
    days.forEach((day, i) => {
      const week = Math.floor(i / 5);
      const slot = i % 5;
      let category: (typeof categories)[number] | undefined;
      if (section.elementary) category = slot === 1 ? categories[0] : slot === 4 && week % 2 === 1 ? categories[1] : undefined;
      else category = slot === 1 ? categories[0] : slot === 3 ? categories[1] : slot === 4 && week % 2 === 0 ? categories[2] : slot === 4 && week % 4 === 3 ? categories[3] : undefined;
      if (!category) return;
      const n = (counters.get(category.name) ?? 0) + 1;
      counters.set(category.name, n);
      const possible = category.name === 'Tests' ? 100 : category.name === 'Quizzes' ? 20 : category.name === 'Assessments' ? 25 : 10;
      const id = this.ids.next('assignment');
      const periodId = periods.find((p) => day >= p.start && day <= p.end)!.id;
      const topic = section.course.topics[(week + n) % section.course.topics.length]!;
      const label = category.name === 'Homework' ? 'Homework' : category.name === 'Quizzes' ? 'Quiz' : category.name === 'Tests' ? 'Unit test' : category.name === 'Assessments' ? 'Check-in' : 'Classwork';
      assignments.push({ id, categoryId: category.id, possible, due: day, periodId });
      sink.add('assignments', {
        district_id: d, id, section_id: section.id, category_id: category.id, grading_period_id: periodId, name: `${label} ${n}: ${topic}`,
        description: category.name === 'Tests' ? `Covers ${topic.toLowerCase()}. Study guide handed out in class.` : '',
        points_possible: possible, assigned_on: addDays(day, category.name === 'Tests' ? -7 : -2) < term.start ? term.start : addDays(day, category.name === 'Tests' ? -7 : -2),
        due_on: day, published: true,
      });
    });
    const recent = this.pastDays.slice(-3)[0] ?? this.lastDay;
    const termLength = Math.max(1, daysBetween(term.start, term.end));
    const progress = new Map(assignments.map((a) => [a.id, Math.max(0, Math.min(1, daysBetween(term.start, a.due) / termLength))]));
    for (const student of section.students) {
      const scores: GradeScore[] = [];
      for (const assignment of assignments) {
        if (assignment.due > this.lastDay) continue;
        if (assignment.due >= recent && random.chance(0.35)) continue; // not graded yet
        const failing = student.trend < -0.2;
        const missing = random.chance(failing ? 0.22 : 0.035);
        const exempt = !missing && random.chance(0.008);
        const pct = Math.max(0.2, Math.min(1, student.ability + student.trend * progress.get(assignment.id)! + random.normal(0, 0.07)));
        const points = missing || exempt ? null : Math.round(pct * assignment.possible * 2) / 2;
        const late = !missing && !exempt && random.chance(0.04);
        const comment = missing ? (random.chance(0.3) ? 'Not turned in. Please see me about making it up.' : '')
          : points !== null && points === assignment.possible && random.chance(0.08) ? 'Excellent work!'
          : late && random.chance(0.5) ? 'Turned in late.' : '';
        const scoreId = this.ids.next('score');
        sink.add('scores', {
          district_id: d, id: scoreId, assignment_id: assignment.id, student_id: student.id, points, missing, late, exempt,
          incomplete: false, dropped: false, comment, entered_by_staff_id: section.teacherStaffId, graded_at: this.gradedAt(scoreId, assignment.due),
        });
        scores.push({ assignmentId: assignment.id, categoryId: assignment.categoryId, pointsPossible: assignment.possible, points, missing, exempt });
      }
      this.plantTermGrades(section, student, categories, scores, assignments);
    }
  }

  /**
   * When the teacher graded a score: one to four days after the work was due, in the afternoon
   * (20:00–23:59 UTC), never after today; graded today, before school (13:00–13:59 UTC), so a
   * clock at mid-morning of today (server/test/test-day.ts) never reads it as in the future.
   * Drawn from the score's id, not the district's random stream, so the rest of the district stays as it was.
   */
  private gradedAt(scoreId: string, due: IsoDate): string {
    const h = hashString(scoreId);
    const day = [addDays(due, 1 + (h % 4)), this.lastDay].sort()[0]!;
    const minute = (h >>> 8) % 240;
    const [hour, minutes] = day === this.options.today ? [13, minute % 60] : [20 + Math.floor(minute / 60), minute % 60];
    return `${day}T${String(hour).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:00Z`;
  }

  private plantTermGrades(
    section: SectionPlan,
    student: StudentPlan,
    categories: GradeCategory[],
    scores: GradeScore[],
    assignments: Array<{ id: string; periodId: string }>,
  ): void {
    const { sink, d } = this;
    const periods = section.school.gradingPeriods.filter((p) => p.termIndex === section.termIndex && p.start <= this.lastDay);
    for (const period of periods) {
      const inPeriod = new Set(assignments.filter((a) => a.periodId === period.id).map((a) => a.id));
      const result = calculateGrade(categories, scores.filter((s) => inPeriod.has(s.assignmentId)), { method: section.method, missingCountsAsZero: true, decimals: 1 });
      const posted = period.end < this.options.today;
      const postedAt = posted ? `${addDays(period.end, 4)}T22:00:00Z` : null;
      if (section.elementary) {
        for (const standardId of section.standards) {
          const level = result.percent === null ? null : Number(markFor(Math.min(100, result.percent + this.random.normal(0, 6)), proficiencyScale.map((b) => ({ mark: b.mark, minPercent: b.min }))));
          sink.add('standard_marks', { district_id: d, id: this.ids.next('standard_mark'), section_id: section.id, student_id: student.id, standard_id: standardId, grading_period_id: period.id, proficiency: level, status: posted ? 'posted' : 'in_progress', comment: '' });
        }
        continue;
      }
      sink.add('term_grades', {
        district_id: d, id: this.ids.next('term_grade'), section_id: section.id, student_id: student.id, grading_task_id: section.gradingTasks.quarter,
        grading_period_id: period.id, percent: result.percent, mark: markFor(result.percent, letterScale.map((b) => ({ mark: b.mark, minPercent: b.min }))),
        status: posted ? 'posted' : 'in_progress', posted_at: postedAt, posted_by_staff_id: posted ? section.teacherStaffId : null,
        comment: posted && result.percent !== null && result.percent < 65 ? 'Missing work is lowering this grade. Please contact me.' : '',
      });
    }
  }

  // ── Attendance ─────────────────────────────────────────────────────────────────────────

  private plantAttendance(student: StudentPlan): void {
    const { sink, d, random } = this;
    const days = this.pastDays;
    const recentFrom = days.slice(-2)[0] ?? this.lastDay;
    const excuseFor = (day: IsoDate): { excuse: 'excused' | 'unexcused' | 'unknown'; reason: string | null; comment: string } => {
      if (day >= recentFrom && random.chance(0.6)) return { excuse: 'unknown', reason: 'PND', comment: '' };
      const roll = random.next();
      if (roll < 0.62) {
        const code = random.weighted([['ILL', 60], ['MED', 20], ['FAM', 8], ['REL', 6], ['BRV', 2], ['SCH', 4]] as const);
        return { excuse: 'excused', reason: code, comment: code === 'ILL' ? 'Parent called in sick.' : code === 'MED' ? 'Dentist appointment.' : '' };
      }
      if (roll < 0.92) return { excuse: 'unexcused', reason: random.chance(0.8) ? 'UNV' : 'TRU', comment: '' };
      return { excuse: 'unknown', reason: null, comment: '' };
    };
    const terms = this.calendar.terms;
    for (const day of days) {
      // The classes the student sits in on that day: a mark of March names a second-semester class.
      const termIndex = terms.findIndex((term) => term.start <= day && day <= term.end);
      const sections = student.sectionsByTerm[termIndex] ?? student.sections;
      if (random.chance(student.absenceRate)) {
        const { excuse, reason, comment } = excuseFor(day);
        if (student.school.level === 'elementary' || sections.length === 0) {
          sink.add('attendance', { district_id: d, id: this.ids.next('attendance'), student_id: student.id, school_id: student.school.id, date: day, section_id: null, period_id: null, status: 'absent', excuse, reason_id: reason ? this.reasonIds.get(reason)! : null, minutes: null, comment, recorded_by_staff_id: sections[0]?.teacherStaffId ?? null });
        } else {
          for (const section of sections) {
            sink.add('attendance', { district_id: d, id: this.ids.next('attendance'), student_id: student.id, school_id: student.school.id, date: day, section_id: section.id, period_id: section.periodId, status: 'absent', excuse, reason_id: reason ? this.reasonIds.get(reason)! : null, minutes: null, comment, recorded_by_staff_id: section.teacherStaffId });
          }
        }
        continue;
      }
      if (random.chance(student.absenceRate > 0.1 ? 0.06 : 0.02)) {
        const section = student.school.level === 'elementary' ? null : sections.find((s) => s.periodId === student.school.periods[0]) ?? sections[0] ?? null;
        sink.add('attendance', { district_id: d, id: this.ids.next('attendance'), student_id: student.id, school_id: student.school.id, date: day, section_id: section?.id ?? null, period_id: section?.periodId ?? null, status: 'tardy', excuse: random.chance(0.3) ? 'excused' : 'unexcused', reason_id: null, minutes: random.int(2, 25), comment: '', recorded_by_staff_id: section?.teacherStaffId ?? sections[0]?.teacherStaffId ?? null });
      } else if (random.chance(0.004)) {
        const last = sections.find((s) => s.periodId === student.school.periods[student.school.periods.length - 1]);
        sink.add('attendance', { district_id: d, id: this.ids.next('attendance'), student_id: student.id, school_id: student.school.id, date: day, section_id: last?.id ?? null, period_id: last?.periodId ?? null, status: 'early_release', excuse: 'excused', reason_id: this.reasonIds.get('MED')!, minutes: random.int(20, 90), comment: 'Picked up by guardian.', recorded_by_staff_id: null });
      }
    }
  }

  // ── Health and fees ────────────────────────────────────────────────────────────────────

  private plantHealth(student: StudentPlan): void {
    const { sink, d, random } = this;
    const birthYear = Number(this.calendar.start.slice(0, 4)) - 5 - student.grade;
    const exemption = random.chance(0.02) ? random.pick(['medical', 'religious', 'personal'] as const) : null;
    const gap = random.chance(0.08) ? random.pick(immunizationRequirements.filter((r) => student.grade >= r.gradeLow)).vaccine : null;
    for (const requirement of immunizationRequirements) {
      if (student.grade < requirement.gradeLow) continue;
      if (exemption && requirement.vaccine === 'MMR') {
        sink.add('immunizations', { district_id: d, id: this.ids.next('immunization'), student_id: student.id, vaccine: requirement.vaccine, dose_number: 1, administered_on: null, exemption, source: 'guardian' });
        continue;
      }
      const doses = requirement.vaccine === gap ? requirement.doses - 1 : requirement.doses;
      for (let dose = 1; dose <= doses; dose++) {
        const age = requirement.vaccine === 'Tdap' || requirement.vaccine === 'MenACWY' ? 11 : Math.min(6, dose);
        sink.add('immunizations', {
          district_id: d, id: this.ids.next('immunization'), student_id: student.id, vaccine: requirement.vaccine, dose_number: dose,
          administered_on: `${birthYear + age}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
          exemption: 'none', source: random.chance(0.7) ? 'registry' : 'record',
        });
      }
    }
  }

  private plantFees(student: StudentPlan): void {
    const { sink, d, random } = this;
    const fees: Array<[string, string, number]> = student.school.level === 'elementary'
      ? [['other', 'Classroom supplies', 1500], ...(random.chance(0.5) ? [['activity', 'Field trip: science museum', 800] as [string, string, number]] : [])]
      : [
          ['device', 'Chromebook protection plan', 2000],
          ...(student.school.level === 'high' && random.chance(0.35) ? [['activity', 'Athletics participation fee', 4000] as [string, string, number]] : []),
          ...(student.sections.some((s) => s.course.name === 'Chemistry' || s.course.code.startsWith('ART')) ? [['course', 'Lab and materials fee', 2500] as [string, string, number]] : []),
          ...(random.chance(0.06) ? [['library', 'Overdue library book', 1299] as [string, string, number]] : []),
        ];
    const assessed = addDays(this.calendar.start, 10);
    for (const [category, description, amount] of fees) {
      const feeId = this.ids.next('fee');
      const waived = random.chance(0.05);
      sink.add('fees', { district_id: d, id: feeId, student_id: student.id, school_id: student.school.id, school_year_id: this.schoolYearId, category, description, amount_cents: amount, assessed_on: assessed, due_on: addDays(assessed, 45), waived });
      if (waived) continue;
      const roll = random.next();
      const paid = roll < 0.6 ? amount : roll < 0.75 ? Math.round(amount / 2) : 0;
      if (paid > 0) {
        sink.add('payments', { district_id: d, id: this.ids.next('payment'), fee_id: feeId, amount_cents: paid, paid_on: addDays(assessed, random.int(1, 40)), method: random.pick(['cash', 'check', 'card', 'online'] as const), reference: '' });
      }
    }
  }

  // ── Announcements, messages, requests ──────────────────────────────────────────────────

  private plantCommunications(): void {
    const { sink, d, random } = this;
    const today = this.options.today;
    const author = this.districtAdmins[0]!;
    for (const template of announcementTemplates) {
      const targets = template.scope === 'district' ? [null] : this.schools.filter((s) => !template.level || s.level === template.level);
      for (const school of targets) {
        sink.add('announcements', {
          district_id: d, id: this.ids.next('announcement'), scope: template.scope, school_id: school?.id ?? null, section_id: null,
          title: template.title, body: template.body, starts_on: addDays(today, template.startOffset), ends_on: addDays(today, template.startOffset + template.days),
          author_staff_id: school ? school.staff.get('principal')![0]! : author, grades: template.grades ? [...template.grades] : null,
        });
      }
    }
    const teacherPerson = (staffId: string) => this.staffPeople.get(staffId)!;
    const sent = (day: number) => `${addDays(today, -day)}T${String(14 + (day % 4)).padStart(2, '0')}:15:00Z`;
    const sectionsWithMessages = this.allSections.filter((s) => s.termIndex === 0).filter((_, i) => i % 9 === 0);
    for (const section of sectionsWithMessages) {
      const messageId = this.ids.next('message');
      sink.add('messages', {
        district_id: d, id: messageId, sender_person_id: teacherPerson(section.teacherStaffId), section_id: section.id, about_student_id: null,
        subject: `${section.course.name}: what we are working on`,
        body: `Hello families,\n\nThis week in ${section.course.name} we are working on ${section.course.topics[random.int(0, section.course.topics.length - 1)]!.toLowerCase()}. Please check the grades tab for upcoming work, and reach out with any questions.\n\nThank you!`,
        sent_at: sent(random.int(1, 12)),
      });
      this.messageRecipients.push({ messageId, students: section.students });
    }
    for (const student of this.students.filter((s) => s.trend < -0.2)) {
      const section = student.sections[0];
      if (!section) continue;
      const messageId = this.ids.next('message');
      sink.add('messages', {
        district_id: d, id: messageId, sender_person_id: teacherPerson(section.teacherStaffId), section_id: section.id, about_student_id: student.id,
        subject: 'Missing assignments', body: `Hello,\n\nI wanted to let you know that several assignments in ${section.course.name} are missing. Late work is still accepted this quarter. Could we find a time to talk?\n\nThank you.`,
        sent_at: sent(random.int(1, 20)),
      });
      this.messageRecipients.push({ messageId, students: [student] });
    }
    // Demo family: a message from the high-school teacher, and one request of each kind.
    const demoHigh = this.demoFamily.find((c) => c.grade === 10);
    if (demoHigh) {
      const english = demoHigh.sections.find((s) => s.course.code === 'ENG-10')!;
      const messageId = this.ids.next('message');
      sink.add('messages', {
        district_id: d, id: messageId, sender_person_id: teacherPerson(english.teacherStaffId), section_id: english.id, about_student_id: demoHigh.id,
        subject: 'Great essay this week', body: 'Hello,\n\nI wanted to share that the argument essay turned in this week was one of the strongest in class. Keep it up!\n\nBest regards.',
        sent_at: sent(2),
      });
      this.messageRecipients.push({ messageId, students: [demoHigh] });
      const guardian = this.demoPeople.get('guardian')!;
      sink.add('requests', {
        district_id: d, id: this.ids.next('request'), kind: 'absence_note', requested_by_person_id: guardian, household_id: null, student_id: this.demoFamily[0]!.id,
        school_id: this.demoFamily[0]!.school.id, payload: { date: this.pastDays.slice(-6)[0] ?? today, reason: 'ILL', note: 'Fever, stayed home.' },
        status: 'approved', submitted_at: sent(6), decided_by_staff_id: this.demoFamily[0]!.school.staff.get('office')![0]!, decided_at: sent(5), decision_note: '',
      });
    }
    // Pending household changes for office staff to review.
    for (const student of this.students.filter((_, i) => i % 97 === 5).slice(0, 40)) {
      const guardian = this.guardiansOf.get(student.id)?.[0];
      if (!guardian) continue;
      sink.add('requests', {
        district_id: d, id: this.ids.next('request'), kind: 'absence_note', requested_by_person_id: guardian, household_id: null, student_id: student.id,
        school_id: student.school.id, payload: { date: today, reason: 'MED', note: 'Doctor appointment in the morning.' }, status: 'pending', submitted_at: sent(0), decided_by_staff_id: null, decided_at: null, decision_note: '',
      });
    }
  }

  private readonly messageRecipients: Array<{ messageId: string; students: StudentPlan[] }> = [];

  /** Messages go to every guardian of the students they concern, and to students with accounts. */
  private plantRecipients(): void {
    for (const { messageId, students } of this.messageRecipients) {
      const people = new Set<string>();
      for (const student of students) {
        for (const guardian of this.guardiansOf.get(student.id) ?? []) people.add(guardian);
        if (this.accountByPerson.has(student.personId)) people.add(student.personId);
      }
      for (const personId of people) {
        this.sink.add('message_recipients', { district_id: this.d, id: this.ids.next('message_recipient'), message_id: messageId, person_id: personId, read_at: null });
      }
    }
  }

  /** Every staff member has an account; the demo ones have the demo password. */
  private plantStaffAccounts(): void {
    const demoByStaff = new Map([...this.demoStaff].map(([role, staffId]) => [staffId, role]));
    for (const [staffId, personId] of this.staffPeople) {
      const role = demoByStaff.get(staffId) ?? null;
      if (role) this.demoPeople.set(role, personId);
      this.account(this.personNames.get(personId)!, role, true, 'en');
    }
  }

  private plantHouseholdRequests(): void {
    const { sink, d, random } = this;
    for (const household of this.households.filter((_, i) => i % 83 === 7).slice(0, 60)) {
      sink.add('requests', {
        district_id: d, id: this.ids.next('request'), kind: 'household_change', requested_by_person_id: household.guardianPersonId, household_id: household.id,
        student_id: null, school_id: null,
        payload: { change: 'address', address: { line1: `${random.int(100, 4999)} ${random.pick(streets)}`, line2: null, city: 'Riverbend', region, postalCode: '55406' } },
        status: 'pending', submitted_at: `${addDays(this.options.today, -random.int(0, 6))}T16:40:00Z`, decided_by_staff_id: null, decided_at: null, decision_note: '',
      });
    }
  }

  private plantAccessHistory(): void {
    const { sink, d } = this;
    for (const [role, personId] of this.demoPeople) {
      const accountId = this.accountByPerson.get(personId)!;
      for (let day = 12; day >= 1; day -= 3) {
        sink.add('access_log', { district_id: d, at: `${addDays(this.options.today, -day)}T19:${String(10 + day).padStart(2, '0')}:00Z`, account_id: accountId, event: 'login.success', ip: '198.51.100.23', user_agent: role === 'student' ? 'Mozilla/5.0 (Linux; Android 11) Chrome/120 Mobile' : 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) Safari/604.1', student_id: null, record_type: null, record_id: null, detail: {} });
      }
    }
  }
}
