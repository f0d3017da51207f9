/**
 * Answers being worked out now, by key: an asker that comes while one runs (and `joins` allows)
 * waits for it instead of starting its own, as a first sync's pulls side by side do. None is kept.
 */
export class RunningAnswers<Key, Answer, Note = undefined> {
  readonly #running = new Map<Key, { answer: Promise<Answer>; note: Note }>();

  answer(key: Key, note: Note, start: () => Promise<Answer>, joins: (running: Note) => boolean = () => true): Promise<Answer> {
    const running = this.#running.get(key);
    if (running && joins(running.note)) return running.answer;
    const entry = { answer: start(), note };
    this.#running.set(key, entry);
    const done = () => this.#running.get(key) === entry && this.#running.delete(key);
    entry.answer.then(done, done);
    return entry.answer;
  }
}
