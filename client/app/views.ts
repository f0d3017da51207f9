/**
 * Every screen of the app, each loaded on first visit with its translations
 * (the pattern of Home Assistant's partial-panel-resolver).
 */
import { initI18n, loadNamespaces, type Namespace, type TranslationKey } from './i18n.ts';

/** Who may open a view: anyone, only the signed out (sign-in), or only the signed in. */
export type ViewAccess = 'anyone' | 'signed-out' | 'signed-in';

export interface ViewDefinition {
  /** The element that renders the view. */
  tag: keyof HTMLElementTagNameMap;
  /** Imports the module that defines `tag`. */
  load: () => Promise<unknown>;
  /** Translation namespaces the view reads, loaded before it renders. */
  namespaces: Namespace[];
  /** The document title while the view is shown. */
  title: TranslationKey;
  access: ViewAccess;
}

export const views = {
  'sign-in': {
    tag: 'hr-sign-in',
    load: () => import('../views/sign-in/hr-sign-in.ts'),
    namespaces: ['signin'],
    title: 'signin:title',
    access: 'signed-out',
  },
  claim: {
    tag: 'hr-claim-account',
    load: () => import('../views/sign-in/hr-claim-account.ts'),
    namespaces: ['claim', 'password'],
    title: 'claim:title',
    access: 'anyone',
  },
  forgot: {
    tag: 'hr-forgot-password',
    load: () => import('../views/sign-in/hr-forgot-password.ts'),
    namespaces: ['password'],
    title: 'password:forgot.title',
    access: 'anyone',
  },
  reset: {
    tag: 'hr-reset-password',
    load: () => import('../views/sign-in/hr-reset-password.ts'),
    namespaces: ['password'],
    title: 'password:reset.title',
    access: 'anyone',
  },
  // A shared computer's start screen (language first, then sign in or set up an account), or,
  // on a browser that is not a kiosk yet, where staff type the code that makes it one.
  kiosk: {
    tag: 'hr-kiosk',
    load: () => import('../views/kiosk/hr-kiosk.ts'),
    namespaces: ['kiosk'],
    title: 'kiosk:title',
    access: 'signed-out',
  },
  // The signed-in landing screen: the students on this device, even offline.
  home: {
    tag: 'hr-home',
    load: () => import('../views/home/hr-home.ts'),
    namespaces: ['home', 'portal'],
    title: 'home:title',
    access: 'signed-in',
  },
  account: {
    tag: 'hr-account',
    load: () => import('../views/account/hr-account.ts'),
    namespaces: ['account', 'password', 'portal'],
    title: 'account:title',
    access: 'signed-in',
  },
  'access-log': {
    tag: 'hr-access-log',
    load: () => import('../views/account/hr-access-log.ts'),
    namespaces: ['access-log', 'portal'],
    title: 'access-log:title',
    access: 'signed-in',
  },
  // The portal's landing tab: what matters today for the chosen student.
  today: {
    tag: 'hr-today',
    load: () => import('../views/today/hr-today.ts'),
    // grades: a graded score's flags read as on the Grades tab.
    namespaces: ['today', 'portal', 'grades'],
    title: 'today:title',
    access: 'signed-in',
  },
  messages: {
    tag: 'hr-messages',
    load: () => import('../views/messages/hr-messages.ts'),
    namespaces: ['messages', 'sync', 'portal'],
    title: 'messages:title',
    access: 'signed-in',
  },
  family: {
    tag: 'hr-family',
    load: () => import('../views/family/hr-family.ts'),
    namespaces: ['family', 'sync', 'portal'],
    title: 'family:title',
    access: 'signed-in',
  },
  schedule: {
    tag: 'hr-schedule',
    load: () => import('../views/schedule/hr-schedule.ts'),
    namespaces: ['schedule', 'portal'],
    title: 'schedule:title',
    access: 'signed-in',
  },
  attendance: {
    tag: 'hr-attendance',
    load: () => import('../views/attendance/hr-attendance.ts'),
    namespaces: ['attendance', 'portal', 'sync'],
    title: 'attendance:title',
    access: 'signed-in',
  },
  grades: {
    tag: 'hr-grades',
    load: () => import('../views/grades/hr-grades.ts'),
    namespaces: ['grades', 'schedule', 'portal'],
    title: 'grades:title',
    access: 'signed-in',
  },
  health: {
    tag: 'hr-health',
    load: () => import('../views/health/hr-health.ts'),
    namespaces: ['health', 'portal'],
    title: 'health:title',
    access: 'signed-in',
  },
  fees: {
    tag: 'hr-fees',
    load: () => import('../views/fees/hr-fees.ts'),
    namespaces: ['fees', 'portal'],
    title: 'fees:title',
    access: 'signed-in',
  },
  reports: {
    tag: 'hr-reports',
    load: () => import('../views/reports/hr-reports.ts'),
    namespaces: ['reports', 'grades', 'portal'],
    title: 'reports:title',
    access: 'signed-in',
  },
  // Staff: the school office's day and decisions, and the administration of staff and schools.
  office: {
    tag: 'hr-office',
    load: () => import('../views/office/hr-office.ts'),
    // portal: "Last updated …".
    namespaces: ['office', 'attendance', 'sync', 'portal'],
    title: 'office:title',
    access: 'signed-in',
  },
  admin: {
    tag: 'hr-admin',
    load: () => import('../views/admin/hr-admin.ts'),
    namespaces: ['admin', 'sync'],
    title: 'admin:title',
    access: 'signed-in',
  },
  // The district's names (courses, terms, tasks, categories, fees, standards) in the families'
  // languages (district staff with the district-wide announcements right; online only).
  'district-words': {
    tag: 'hr-district-words',
    load: () => import('../views/admin/hr-district-words.ts'),
    namespaces: ['admin'],
    title: 'admin:words.title',
    access: 'signed-in',
  },
  'office-accounts': {
    tag: 'hr-office-accounts',
    load: () => import('../views/office/hr-office-accounts.ts'),
    // portal: grade names ("Grade 10") beside each student.
    namespaces: ['office', 'portal'],
    title: 'office:accounts.title',
    access: 'signed-in',
  },
  // Reopening a posted term grade (office staff with the grades_admin right; online only).
  'office-grades': {
    tag: 'hr-office-grades',
    load: () => import('../views/office/hr-office-grades.ts'),
    namespaces: ['office'],
    title: 'office:grades.title',
    access: 'signed-in',
  },
  // Enrolling, listing and removing the school's shared computers (the kiosks right; online only).
  'office-kiosks': {
    tag: 'hr-office-kiosks',
    load: () => import('../views/kiosk/hr-office-kiosks.ts'),
    namespaces: ['kiosk'],
    title: 'kiosk:staff.title',
    access: 'signed-in',
  },
  // A student's whole attendance history, read online (the device holds the last 30 school days).
  'student-records': {
    tag: 'hr-student-records',
    load: () => import('../views/office/hr-student-records.ts'),
    namespaces: ['office', 'attendance'],
    title: 'office:records.title',
    access: 'signed-in',
  },
  'office-announcements': {
    tag: 'hr-office-announcements',
    load: () => import('../views/office/hr-office-announcements.ts'),
    namespaces: ['office', 'portal'],
    title: 'office:announcements.title',
    access: 'signed-in',
  },
  // The teacher's workspace: today's classes with rosters, attendance taking, the gradebook.
  teacher: {
    tag: 'hr-teacher',
    load: () => import('../views/teacher/hr-teacher.ts'),
    // portal: "Last updated …".
    namespaces: ['teacher', 'portal'],
    title: 'teacher:title',
    access: 'signed-in',
  },
  'take-attendance': {
    tag: 'hr-take-attendance',
    load: () => import('../views/teacher/hr-take-attendance.ts'),
    namespaces: ['teacher', 'sync'],
    title: 'teacher:attendance.title',
    access: 'signed-in',
  },
  gradebook: {
    tag: 'hr-teacher-gradebook',
    load: () => import('../views/teacher/hr-teacher-gradebook.ts'),
    namespaces: ['teacher', 'sync'],
    title: 'teacher:gradebook.title',
    access: 'signed-in',
  },
  // A teacher's message to the guardians of a class or one student (online only).
  message: {
    tag: 'hr-teacher-message',
    load: () => import('../views/teacher/hr-teacher-message.ts'),
    namespaces: ['teacher'],
    title: 'teacher:compose.title',
    access: 'signed-in',
  },
} satisfies Record<string, ViewDefinition>;

/** Where the shell goes after signing in, and where sign-in sends someone already signed in. */
export const homeView: ViewName = 'today';
export const signInView: ViewName = 'sign-in';

/** Where a signed-in person lands: teachers on their classes, everyone else on the home screen. */
export function landingViewFor(me: { roles: readonly string[] } | undefined): ViewName {
  if (me?.roles.includes('teacher')) return 'teacher';
  if (me?.roles.includes('office') || me?.roles.includes('principal')) return 'office';
  if (me?.roles.includes('district_admin')) return 'admin';
  return homeView;
}

export type ViewName = keyof typeof views;

const fallbackView: ViewName = signInView;

function isViewName(name: string): name is ViewName {
  return Object.prototype.hasOwnProperty.call(views, name);
}

/** `#/sign-in` → `sign-in`. Hashes that are not routes (`#main`) and unknown views fall back to sign-in. */
export function viewFromHash(hash: string): ViewName {
  const name = hash.startsWith('#/') ? hash.slice(2).split(/[/?]/)[0] ?? '' : '';
  return isViewName(name) ? name : fallbackView;
}

/** The query of a route: `#/reset?token=abc` → `token=abc`. */
export function hashParams(hash: string): URLSearchParams {
  const query = hash.indexOf('?');
  return new URLSearchParams(query === -1 ? '' : hash.slice(query + 1));
}

/** The view to go to instead of `name`, or undefined when `name` may be shown. */
export function redirectFor(name: ViewName, signedIn: boolean): ViewName | undefined {
  const { access } = views[name] as ViewDefinition;
  if (access === 'signed-in' && !signedIn) return signInView;
  if (access === 'signed-out' && signedIn) return homeView;
  return undefined;
}

const loading = new Map<ViewName, Promise<ViewDefinition>>();

/** Imports a view and its translations once; later calls share the same promise. */
export function loadView(name: ViewName): Promise<ViewDefinition> {
  let promise = loading.get(name);
  if (!promise) {
    const view: ViewDefinition = views[name];
    promise = Promise.all([view.load(), initI18n().then(() => loadNamespaces(view.namespaces))]).then(
      () => view,
    );
    promise.catch(() => loading.delete(name)); // a failed chunk download is retried on next visit
    loading.set(name, promise);
  }
  return promise;
}
