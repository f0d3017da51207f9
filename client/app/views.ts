/**
 * Every screen of the app, each loaded on first visit with its translations
 * (the pattern of Home Assistant's partial-panel-resolver).
 */
import { initI18n, loadNamespaces, type Namespace, type TranslationKey } from './i18n.ts';

export interface ViewDefinition {
  /** The element that renders the view. */
  tag: keyof HTMLElementTagNameMap;
  /** Imports the module that defines `tag`. */
  load: () => Promise<unknown>;
  /** Translation namespaces the view reads, loaded before it renders. */
  namespaces: Namespace[];
  /** The document title while the view is shown. */
  title: TranslationKey;
}

export const views = {
  'sign-in': {
    tag: 'hr-sign-in',
    load: () => import('../views/sign-in/hr-sign-in.ts'),
    namespaces: ['signin'],
    title: 'signin:title',
  },
} satisfies Record<string, ViewDefinition>;

export type ViewName = keyof typeof views;

const fallbackView: ViewName = 'sign-in';

function isViewName(name: string): name is ViewName {
  return Object.prototype.hasOwnProperty.call(views, name);
}

/** `#/sign-in` → `sign-in`. Hashes that are not routes (`#main`) and unknown views fall back to sign-in. */
export function viewFromHash(hash: string): ViewName {
  const name = hash.startsWith('#/') ? hash.slice(2).split(/[/?]/)[0] ?? '' : '';
  return isViewName(name) ? name : fallbackView;
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
