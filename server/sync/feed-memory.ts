/**
 * Answers remembered between requests until the change feed (changes.ts) hears they may have
 * moved: the pull gate's (pull-gate.ts GateMemory) and who is asking (principal-memory.ts).
 *
 * Why a remembered answer is never wrong, only late: it names the tables its statement read, and
 * is forgotten when the feed hears a commit to one of them in its district, the end of its session
 * or the stop of its account (migration 0010's notifications); a statement's answer is kept only
 * if nothing of the sort was heard while it ran (generations), so a kept answer was true at some
 * instant after every commit heard. Commits are heard after they happen (LISTEN/NOTIFY); until
 * then a request gets the answer it would have had a moment earlier. An answer holds until its
 * `until` at the latest, and a feed that is lost forgets all and remembers nothing more: every
 * request then asks the store, as before.
 */
import type { Ending, FeedWatcher } from './changes.ts';
import { RunningAnswers } from './running-answers.ts';

/**
 * What an answer is about: kept under `key` (a session's answer under the session's id, so that
 * its end forgets it), for `accountId` (null: nobody's), read from `tables` of the district.
 */
export interface Question {
  key: string;
  districtId: string;
  accountId: string | null;
  tables: readonly string[];
}

/** Where memory stood when a statement began: what it answers is kept only if nothing moved meanwhile. */
export interface Mark {
  generations: number[];
  endings: number;
}

interface Remembered<Answer> extends Question, Mark {
  answer: Answer;
  until: number;
}

export class FeedMemory<Answer> implements FeedWatcher {
  private readonly answers = new Map<string, Remembered<Answer>>();
  /** Statements running now, by question key, with where memory stood when each began. */
  private readonly asking = new RunningAnswers<string, Answer | null, { question: Question; mark: Mark }>();
  /** Commits heard per district and table. */
  private readonly generations = new Map<string, number>();
  private endings = 0;
  private lost = false;

  /** At most `capacity` answers are kept; beyond it memory starts again (each is one statement away). */
  constructor(private readonly capacity: number) {}

  changed(districtId: string, table: string): void {
    this.generations.set(`${districtId}:${table}`, this.generation(districtId, table) + 1);
  }

  ended({ districtId, kind, id }: Ending): void {
    this.endings += 1;
    if (kind === 'session') this.answers.delete(id);
    else for (const [key, kept] of this.answers) if (kept.districtId === districtId && kept.accountId === id) this.answers.delete(key);
  }

  feedLost(): void {
    this.lost = true;
    this.answers.clear();
  }

  /** The answer kept for this question, or null when the store must be asked. */
  recall(question: Question, now: Date): Answer | null {
    const kept = this.lost ? undefined : this.answers.get(question.key);
    if (!kept || kept.districtId !== question.districtId || kept.accountId !== question.accountId || kept.until <= now.getTime()) return null;
    return this.unmoved(kept, kept) ? kept.answer : null;
  }

  mark(question: Question): Mark {
    return { generations: question.tables.map((table) => this.generation(question.districtId, table)), endings: this.endings };
  }

  /**
   * The answer of the statement already running for this question, when nothing has been heard
   * since it began; else `ask(mark)`, run now. A device's first sync sends its pulls side by side,
   * and each asked who is asking before any answer came back: one statement answers them all. Its
   * answer is as true for a request that joins as one the request would have asked itself (no
   * commit heard in between), the rule `keep` holds a remembered answer to.
   */
  shared(question: Question, ask: (mark: Mark) => Promise<Answer | null>): Promise<Answer | null> {
    const mark = this.mark(question);
    return this.asking.answer(question.key, { question, mark }, () => ask(mark), (running) =>
      !this.lost && this.sameQuestion(running.question, question) && running.mark.endings === mark.endings && this.unmoved(question, running.mark));
  }

  private sameQuestion(a: Question, b: Question): boolean {
    return a.districtId === b.districtId && a.accountId === b.accountId && a.tables.length === b.tables.length && a.tables.every((table, i) => table === b.tables[i]);
  }

  /** Keeps the answer of a statement begun at `mark`, until `until` (ms) at the latest. */
  keep(question: Question, mark: Mark, answer: Answer, until = Infinity): void {
    if (this.lost || mark.endings !== this.endings || !this.unmoved(question, mark)) return;
    if (this.answers.size >= this.capacity) this.answers.clear();
    this.answers.set(question.key, { ...question, ...mark, answer, until });
  }

  private unmoved({ districtId, tables }: Question, { generations }: Pick<Mark, 'generations'>): boolean {
    return tables.every((table, i) => this.generation(districtId, table) === generations[i]);
  }

  private generation(districtId: string, table: string): number {
    return this.generations.get(`${districtId}:${table}`) ?? 0;
  }
}
