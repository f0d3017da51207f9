import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Values that stay the same in every language (brand names). */
const sameInEveryLanguage = new Set(['Homeroom']);

const localesDir = import.meta.dirname;
const sourceLanguage = 'en';
const pluralSuffix = /^(.+)_(zero|one|two|few|many|other)$/;

type Messages = Map<string, string>;

/** Flattens a nested resource file to `a.b.c` keys; non-string leaves are reported. */
function flatten(tree: unknown, problems: string[], prefix = ''): Messages {
  const messages: Messages = new Map();
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    problems.push(`${prefix || '(root)'}: expected an object of messages`);
    return messages;
  }
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') messages.set(path, value);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [nestedKey, nestedValue] of flatten(value, problems, path)) {
        messages.set(nestedKey, nestedValue);
      }
    } else problems.push(`${path}: expected a string, found ${JSON.stringify(value)}`);
  }
  return messages;
}

/** Interpolation variables (`{{name}}`, `{{date, datetime}}`) and nested `$t(key)` references. */
function placeholders(message: string): string[] {
  const found = new Set<string>();
  for (const match of message.matchAll(/{{-?\s*([^,}\s]+)[^}]*}}/g)) found.add(`{{${match[1]}}}`);
  for (const match of message.matchAll(/\$t\(([^,)]+)/g)) found.add(`$t(${match[1]})`);
  return [...found].sort();
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** Keys of a plural group, e.g. `unread_one`, `unread_other` → base `unread`. */
function pluralBases(messages: Messages): Map<string, Set<string>> {
  const bases = new Map<string, Set<string>>();
  for (const key of messages.keys()) {
    const match = pluralSuffix.exec(key);
    if (!match) continue;
    const [, base = '', category = ''] = match;
    bases.set(base, (bases.get(base) ?? new Set()).add(category));
  }
  return bases;
}

function pluralCategories(language: string): string[] {
  return [...new Intl.PluralRules(language).resolvedOptions().pluralCategories].sort();
}

/**
 * Everything wrong with one translated namespace compared with English.
 * Plural groups must have exactly the CLDR cardinal categories of their language.
 */
function findProblems(english: unknown, translation: unknown, language: string): string[] {
  const problems: string[] = [];
  const source = flatten(english, problems);
  const target = flatten(translation, problems);

  const sourcePlurals = pluralBases(source);
  const expectedSource = pluralCategories(sourceLanguage);
  for (const [base, categories] of sourcePlurals) {
    if (!sameList([...categories].sort(), expectedSource)) {
      problems.push(`${base}: English plural forms must be ${expectedSource.join(', ')}`);
    }
  }

  const expectedTarget = pluralCategories(language);
  const pluralKeysInTarget = new Set<string>();
  for (const [base] of sourcePlurals) {
    const sourceOther = source.get(`${base}_other`) ?? '';
    const sourceVariables = placeholders(sourceOther).filter((p) => p !== '{{count}}');
    for (const category of expectedTarget) {
      const key = `${base}_${category}`;
      pluralKeysInTarget.add(key);
      const value = target.get(key);
      if (value === undefined) {
        problems.push(`${key}: missing (${language} plural forms are ${expectedTarget.join(', ')})`);
        continue;
      }
      const variables = placeholders(value).filter((p) => p !== '{{count}}');
      if (!sameList(variables, sourceVariables)) {
        problems.push(`${key}: uses ${variables.join(' ') || 'no variables'}, English uses ${sourceVariables.join(' ') || 'none'}`);
      }
    }
  }

  for (const [key, sourceValue] of source) {
    const match = pluralSuffix.exec(key);
    if (match && sourcePlurals.has(match[1] ?? '')) continue;
    const value = target.get(key);
    if (value === undefined) {
      problems.push(`${key}: missing`);
      continue;
    }
    const variables = placeholders(value);
    const sourceVariables = placeholders(sourceValue);
    if (!sameList(variables, sourceVariables)) {
      problems.push(`${key}: uses ${variables.join(' ') || 'no variables'}, English uses ${sourceVariables.join(' ') || 'none'}`);
    }
  }

  for (const [key, value] of target) {
    const match = pluralSuffix.exec(key);
    const isPluralForm = match !== null && sourcePlurals.has(match[1] ?? '');
    if (isPluralForm && !pluralKeysInTarget.has(key)) {
      problems.push(`${key}: not a plural form of ${language} (${expectedTarget.join(', ')})`);
    } else if (!isPluralForm && !source.has(key)) problems.push(`${key}: not in English`);
    if (value.trim() === '') problems.push(`${key}: empty`);
    if (value !== value.normalize('NFC')) problems.push(`${key}: not in Unicode NFC form`);
    if (value === source.get(key) && !sameInEveryLanguage.has(value)) {
      problems.push(`${key}: same as English ("${value}")`);
    }
  }
  return problems.sort();
}

function readNamespaces(language: string): Map<string, unknown> {
  const namespaces = new Map<string, unknown>();
  for (const file of readdirSync(join(localesDir, language))) {
    if (!file.endsWith('.json')) continue;
    const text = readFileSync(join(localesDir, language, file), 'utf8');
    namespaces.set(file.slice(0, -'.json'.length), JSON.parse(text));
  }
  return namespaces;
}

const languages = readdirSync(localesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const translations = languages.filter((language) => language !== sourceLanguage);
const english = readNamespaces(sourceLanguage);

describe('locale files', () => {
  it('exist for the four supported languages', () => {
    expect(languages).toEqual(['en', 'es', 'so', 'vi']);
    expect([...english.keys()]).toContain('common');
    expect([...english.keys()]).toContain('signin');
  });

  it('English is complete on its own', () => {
    for (const [namespace, messages] of english) {
      const problems = findProblems(messages, messages, sourceLanguage).filter(
        (problem) => !problem.includes('same as English'),
      );
      expect(problems, `en/${namespace}.json`).toEqual([]);
    }
  });

  it('name each portal tab with the word its page’s title uses, in every language (a Somali tab said "Darajooyinka" over a "Buundooyinka" page)', () => {
    for (const language of languages) {
      const namespaces = readNamespaces(language);
      const nav = (namespaces.get('portal') as { nav: Record<string, string> }).nav;
      for (const tab of ['today', 'schedule', 'grades', 'attendance', 'health', 'fees', 'reports', 'family', 'messages']) {
        expect(nav[tab], `${language} ${tab}`).toBe((namespaces.get(tab) as { title: string }).title);
      }
    }
  });

  for (const language of translations) {
    it(`${language} has every namespace of English and no other`, () => {
      expect([...readNamespaces(language).keys()].sort()).toEqual([...english.keys()].sort());
    });

    for (const [namespace, messages] of english) {
      it(`${language}/${namespace}.json matches English`, () => {
        const translated = readNamespaces(language).get(namespace) ?? {};
        expect(findProblems(messages, translated, language)).toEqual([]);
      });
    }
  }
});

describe('findProblems', () => {
  const source = {
    title: 'Sign in',
    greeting: 'Hello, {{name}}',
    brand: 'Homeroom',
    nested: { unread_one: 'One message from {{school}}', unread_other: '{{count}} messages from {{school}}' },
  };

  it('accepts a complete translation', () => {
    const spanish = {
      title: 'Iniciar sesión',
      greeting: 'Hola, {{name}}',
      brand: 'Homeroom',
      nested: {
        unread_one: 'Un mensaje de {{school}}',
        unread_many: '{{count}} de mensajes de {{school}}',
        unread_other: '{{count}} mensajes de {{school}}',
      },
    };
    expect(findProblems(source, spanish, 'es')).toEqual([]);
  });

  it('reports missing, extra, untranslated and mismatched variables', () => {
    const problems = findProblems(
      source,
      {
        greeting: 'Xin chào, {{ten}}',
        brand: 'Homeroom',
        extra: 'Thêm',
        nested: { unread_other: '{{count}} tin nhắn từ {{school}}' },
        title: 'Sign in',
      },
      'vi',
    );
    expect(problems).toEqual([
      'extra: not in English',
      'greeting: uses {{ten}}, English uses {{name}}',
      'title: same as English ("Sign in")',
    ]);
  });

  it('requires the plural categories of the target language', () => {
    const vietnamese = {
      title: 'Đăng nhập',
      greeting: 'Xin chào, {{name}}',
      brand: 'Homeroom',
      nested: { unread_one: 'Một tin nhắn', unread_other: '{{count}} tin nhắn từ {{school}}' },
    };
    expect(findProblems(source, vietnamese, 'vi')).toEqual([
      'nested.unread_one: not a plural form of vi (other)',
    ]);

    const spanishWithoutMany = {
      title: 'Iniciar sesión',
      greeting: 'Hola, {{name}}',
      brand: 'Homeroom',
      nested: { unread_one: 'Un mensaje', unread_other: '{{count}} mensajes de {{school}}' },
    };
    expect(findProblems(source, spanishWithoutMany, 'es')).toEqual([
      'nested.unread_many: missing (es plural forms are many, one, other)',
      'nested.unread_one: uses no variables, English uses {{school}}',
    ]);
  });
});
