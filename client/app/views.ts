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
  // Later replaced as the signed-in home by the portal's Today screen.
  account: {
    tag: 'hr-account',
    load: () => import('../views/account/hr-account.ts'),
    namespaces: ['account', 'password'],
    title: 'account:title',
    access: 'signed-in',
  },
  'access-log': {
    tag: 'hr-access-log',
    load: () => import('../views/account/hr-access-log.ts'),
    namespaces: ['access-log'],
    title: 'access-log:title',
    access: 'signed-in',
  },
} satisfies Record<string, ViewDefinition>;

/** Where the shell goes after signing in, and where sign-in sends someone already signed in. */
export const homeView: ViewName = 'account';
export const signInView: ViewName = 'sign-in';

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
