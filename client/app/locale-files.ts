/**
 * Every translation file, one chunk each: `import()` with a template path, which Vite turns into
 * a map of the files under locales/ (the test server serves them as they are). A chunk of its own
 * (the map names about a hundred files), loaded by i18n.ts the first time a screen needs a
 * namespace beyond the sign-in screen's.
 */
import type { ResourceKey } from 'i18next';

export function importLocale(language: string, namespace: string): Promise<ResourceKey> {
  return import(`../../locales/${language}/${namespace}.json`).then((module: { default: ResourceKey }) => module.default);
}
