/**
 * A build step (vite.config.ts): the text of Lit's css`…` templates in client/ sources without
 * its comments, indentation and line breaks. Lit hands that text to the browser as it is written,
 * and the minifier leaves template literals alone, so every element's styles otherwise reach the
 * page in the source's layout (docs/benchmarks.md, JavaScript before sign-in). Quoted strings and
 * `${…}` values are kept as they are.
 */
import type { Plugin } from 'vite';

/** `a { b: c; }` → `a{b:c}`: whitespace collapsed, dropped around braces, semicolons and commas and after colons. */
export function minifyCssText(text: string): string {
  return text
    .split(/("[^"]*"|'[^']*')/)
    .map((piece, index) =>
      index % 2 === 1
        ? piece // a quoted string: `content: ' · '`, data URLs
        : piece
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\s+/g, ' ')
            .replace(/ ?([{};,]) ?/g, '$1')
            .replace(/: /g, ':') // after a property (no selector has a space after its colon)
            .replace(/;}/g, '}'),
    )
    .join('');
}

/** Where `${` opened at `start` closes (the index of its `}`), skipping nested braces, strings and templates. */
function interpolationEnd(code: string, start: number): number {
  let depth = 0;
  for (let index = start; index < code.length; index++) {
    const char = code[index];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return index;
    else if (char === '`') index = templateEnd(code, index + 1);
    else if (char === "'" || char === '"') {
      for (index++; index < code.length && code[index] !== char; index++) if (code[index] === '\\') index++;
    }
  }
  return code.length;
}

/** The index of the backtick that closes a template whose text starts at `start`. */
function templateEnd(code: string, start: number): number {
  for (let index = start; index < code.length; index++) {
    const char = code[index];
    if (char === '\\') index++;
    else if (char === '`') return index;
    else if (char === '$' && code[index + 1] === '{') index = interpolationEnd(code, index + 1);
  }
  return code.length;
}

/** Every css`…` template's text minified; the rest of `code` (and each `${…}`) unchanged. */
export function minifyCssLiterals(code: string): string {
  let output = '';
  let copied = 0;
  for (const match of code.matchAll(/\bcss`/g)) {
    const start = match.index + match[0].length;
    if (start <= copied) continue; // inside a template already handled
    output += code.slice(copied, start);
    let text = start;
    for (let index = start; index < code.length; index++) {
      const char = code[index];
      if (char === '\\') index++;
      else if (char === '`' || (char === '$' && code[index + 1] === '{')) {
        let part = minifyCssText(code.slice(text, index));
        if (text === start) part = part.replace(/^ /, ''); // the template's first text
        if (char === '`') part = part.replace(/ $/, ''); // and its last
        output += part;
        if (char === '`') {
          copied = index;
          break;
        }
        const end = interpolationEnd(code, index + 1);
        output += code.slice(index, end + 1);
        index = end;
        text = end + 1;
      }
    }
  }
  return output + code.slice(copied);
}

/** The Vite plugin: client sources only (Lit's own styles are already compact). */
export function minifyCssLiteralsPlugin(): Plugin {
  return {
    name: 'homeroom-minify-css-literals',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]client[\\/].*\.ts$/.test(id) || !code.includes('css`')) return null;
      return { code: minifyCssLiterals(code), map: null };
    },
  };
}
