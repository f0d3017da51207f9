/** Who a person can be in Homeroom. Staff roles come with school locations. */
export const ROLES = ['guardian', 'student', 'teacher', 'counselor', 'nurse', 'office', 'principal', 'district_admin'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ['teacher', 'counselor', 'nurse', 'office', 'principal', 'district_admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Sensitive functions: each needs a completed training, a manager's approval, and lapses on a renewal date. */
export const TOOLS = ['health', 'fees', 'accounts', 'attendance_admin', 'grades_admin', 'access_log', 'staff_admin', 'announcements', 'kiosks'] as const;
export type Tool = (typeof TOOLS)[number];

export const LANGUAGES = ['en', 'es', 'so', 'vi'] as const;
export type Language = (typeof LANGUAGES)[number];
