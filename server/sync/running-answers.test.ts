import { describe, expect, it } from 'vitest';
import { RunningAnswers } from './running-answers.ts';

describe('answers being worked out', () => {
  it('lets askers side by side share one, only while it runs and only when the running one still answers them', async () => {
    const running = new RunningAnswers<string, string, number>();
    const started: Array<(answer: string) => void> = [];
    const start = () => new Promise<string>((resolve) => started.push(resolve));
    const first = running.answer('k', 1, start);
    const second = running.answer('k', 1, start, (note) => note === 1);
    const refused = running.answer('k', 2, start, (note) => note === 2);
    const other = running.answer('j', 1, start);
    expect(started).toHaveLength(3);
    started[0]!('a');
    started[1]!('b');
    started[2]!('c');
    expect(await Promise.all([first, second, refused, other])).toEqual(['a', 'a', 'b', 'c']);
    // Settled: the next asker starts anew, and a failure is shared, never kept.
    const failing = running.answer('k', 1, () => Promise.reject(new Error('down')));
    await expect(running.answer('k', 1, start)).rejects.toThrow('down');
    await expect(failing).rejects.toThrow('down');
    void running.answer('k', 1, start);
    expect(started).toHaveLength(4);
  });
});
