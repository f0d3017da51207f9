import type { Language } from '../contract/roles.ts';
import type { Translate } from '../i18n.ts';

export interface Letter {
  language: Language;
  name: string;
  key: string;
  expiresAt: Date;
  /** Set for a student's own letter. */
  student: { number: string; school: string } | null;
  /** First names of a guardian's children. */
  children: string[];
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Activation letters as one printable HTML page: a letter per sheet, each in its reader's language. */
export function renderLetters(letters: Letter[], url: string, translate: (language: Language, namespace: string) => Translate): string {
  const pages = letters.map((letter) => {
    const t = translate(letter.language, 'letters');
    const date = new Intl.DateTimeFormat(letter.language, { dateStyle: 'long' }).format(letter.expiresAt);
    const students = new Intl.ListFormat(letter.language, { type: 'conjunction' }).format(letter.children);
    return `<section class="letter" lang="${letter.language}">
  <h1>${escape(t('title'))}</h1>
  <p>${escape(t('greeting', { name: letter.name }))}</p>
  <p>${escape(letter.student ? t('introSelf') : t('intro', { students }))}</p>
  <p>${escape(t('steps'))}</p>
  <ol>
    <li>${escape(t('step1', { url }))}</li>
    <li>${escape(letter.student ? t('step2Student') : t('step2'))}<div class="key">${escape(letter.key)}</div>
      ${letter.student ? `<p>${escape(t('studentNumber'))}: <strong>${escape(letter.student.number)}</strong> · ${escape(t('school'))}: ${escape(letter.student.school)}</p>` : ''}</li>
    <li>${escape(t('step3'))}</li>
  </ol>
  <p>${escape(t('expires', { date }))}</p>
  <p class="private">${escape(t('private'))}</p>
</section>`;
  });
  return printablePage(pages);
}

/** A staff-made password reset, printed for the family: a one-time code typed with the username at the reset screen. */
export interface ResetLetter {
  language: Language;
  name: string;
  username: string;
  code: string;
  expiresAt: Date;
  /** The school in whose name the reset was made. */
  school: string;
  /** The district's time zone, for the expiry time. */
  timeZone: string;
}

/** One printable page: the code, the username, where to type them, and who made it. */
export function renderResetLetter(letter: ResetLetter, url: string, translate: (language: Language, namespace: string) => Translate): string {
  const t = translate(letter.language, 'letters');
  const date = new Intl.DateTimeFormat(letter.language, { dateStyle: 'long', timeStyle: 'short', timeZone: letter.timeZone }).format(letter.expiresAt);
  return printablePage([
    `<section class="letter" lang="${letter.language}">
  <h1>${escape(t('reset.title'))}</h1>
  <p>${escape(t('greeting', { name: letter.name }))}</p>
  <p>${escape(t('reset.intro', { school: letter.school }))}</p>
  <ol>
    <li>${escape(t('reset.step1'))}<div class="url">${escape(`${url}/#/reset?code`)}</div></li>
    <li>${escape(t('reset.step2'))}
      <p>${escape(t('reset.username'))}: <strong>${escape(letter.username)}</strong></p>
      <div class="key">${escape(letter.code)}</div></li>
    <li>${escape(t('reset.step3'))}</li>
  </ol>
  <p>${escape(t('reset.expires', { date }))}</p>
  <p class="private">${escape(t('reset.private'))}</p>
</section>`,
  ]);
}

function printablePage(pages: string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Homeroom</title>
<style>
  body { font: 12pt/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #111; margin: 0; }
  .letter { max-width: 40rem; margin: 2rem auto; padding: 0 1.5rem; page-break-after: always; break-after: page; }
  .letter:last-child { page-break-after: auto; break-after: auto; }
  h1 { font-size: 18pt; }
  .key { font: 600 20pt/1.4 ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", monospace; letter-spacing: 0.12em; margin: 0.5rem 0; padding: 0.5rem 1rem; border: 2px solid #111; display: inline-block; }
  .url { font: 600 14pt/1.4 ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", monospace; margin: 0.25rem 0; }
  .private { font-weight: 600; }
</style>
</head>
<body>
${pages.join('\n')}
</body>
</html>`;
}
