/**
 * Every screen of the app, each loaded on first visit with its translations
 * (the pattern of Home Assistant's partial-panel-resolver). The screens before sign-in are
 * defined here; those behind it in signed-in-views.ts, a chunk the sign-in screen does without.
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

/** The screens anyone may open signed out. */
const signedOutViews = {
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
} satisfies Record<string, ViewDefinition>;

/** Every screen behind sign-in, by name; signed-in-views.ts defines each (tsc holds the two to the same names). */
export const signedInViewNames = [
  'home',
  'account',
  'access-log',
  'today',
  'messages',
  'family',
  'schedule',
  'attendance',
  'grades',
  'health',
  'fees',
  'reports',
  'office',
  'admin',
  'district-words',
  'office-accounts',
  'office-grades',
  'office-kiosks',
  'student-records',
  'office-announcements',
  'teacher',
  'take-attendance',
  'gradebook',
  'message',
] as const;

export type SignedInViewName = (typeof signedInViewNames)[number];

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

export type ViewName = keyof typeof signedOutViews | SignedInViewName;

/** Every view's name, those before sign-in first. */
export const viewNames: readonly ViewName[] = [...(Object.keys(signedOutViews) as (keyof typeof signedOutViews)[]), ...signedInViewNames];

const fallbackView: ViewName = signInView;

function isSignedOutView(name: string): name is keyof typeof signedOutViews {
  return Object.prototype.hasOwnProperty.call(signedOutViews, name);
}

function isSignedInView(name: string): name is SignedInViewName {
  return (signedInViewNames as readonly string[]).includes(name);
}

/** Whether `name` is a screen of the app (`grades`, not `constructor` or a screen not built yet). */
export function isViewName(name: string): name is ViewName {
  return isSignedOutView(name) || isSignedInView(name);
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
  const access: ViewAccess = isSignedOutView(name) ? signedOutViews[name].access : 'signed-in';
  if (access === 'signed-in' && !signedIn) return signInView;
  if (access === 'signed-out' && signedIn) return homeView;
  return undefined;
}

const loading = new Map<ViewName, Promise<ViewDefinition>>();

/** A view's definition: from this module before sign-in, from the signed-in views' chunk after. */
function viewDefinition(name: ViewName): Promise<ViewDefinition> {
  if (isSignedOutView(name)) return Promise.resolve(signedOutViews[name]);
  return import('./signed-in-views.ts').then(({ signedInViews }) => signedInViews[name]);
}

/** Imports a view and its translations once; later calls share the same promise. */
export function loadView(name: ViewName): Promise<ViewDefinition> {
  let promise = loading.get(name);
  if (!promise) {
    promise = viewDefinition(name).then((view) =>
      Promise.all([view.load(), initI18n().then(() => loadNamespaces(view.namespaces))]).then(() => view),
    );
    promise.catch(() => loading.delete(name)); // a failed chunk download is retried on next visit
    loading.set(name, promise);
  }
  return promise;
}
