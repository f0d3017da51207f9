/**
 * Every screen behind sign-in, each loaded on first visit with its translations. A chunk of its
 * own, imported by views.ts the first time one of them is asked for: the sign-in screen carries
 * neither these definitions nor the import of each screen (with the list of chunks each one
 * preloads), only their names (`signedInViewNames` in views.ts, which this table must match).
 */
import type { SignedInViewName, ViewDefinition } from './views.ts';

export const signedInViews = {
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
    // second-factor: the authenticator app's settings read as at sign-in.
    namespaces: ['account', 'password', 'portal', 'second-factor'],
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
} satisfies Record<SignedInViewName, ViewDefinition>;
