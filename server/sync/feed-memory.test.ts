/**
 * What a feed memory keeps (feed-memory.ts): nothing heard to move while its statement ran, only
 * for the district, account and session it was learnt for, until its `until`, and nothing after
 * the feed is lost. Its users' own rules: gate-memory.test.ts and principal-memory.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { FeedMemory } from './feed-memory.ts';

const asked = { key: 's', districtId: 'd', accountId: 'a', tables: ['t1', 't2'] };
const now = new Date('2026-12-07T10:00:00Z');
const later = new Date('2026-12-07T11:00:00Z');

describe('a feed memory', () => {
  it('keeps nothing heard to move while its statement ran, and answers only what it learnt, until its end', () => {
    const memory = new FeedMemory<string>(10);
    let mark = memory.mark(asked);
    memory.changed('d', 't2');
    memory.keep(asked, mark, 'x', later.getTime());
    expect(memory.recall(asked, now), 't2 moved while asked').toBeNull();
    mark = memory.mark(asked);
    memory.changed('d', 't3');
    memory.changed('e', 't1');
    memory.keep(asked, mark, 'x', later.getTime());
    expect(memory.recall(asked, now), 'other tables and districts leave it').toBe('x');
    expect(memory.recall({ ...asked, accountId: 'b' }, now)).toBeNull();
    expect(memory.recall({ ...asked, districtId: 'e' }, now)).toBeNull();
    expect(memory.recall(asked, later), 'expired').toBeNull();
    for (const table of asked.tables) {
      memory.keep(asked, memory.mark(asked), 'x');
      memory.changed('d', table);
      expect(memory.recall(asked, now), `a commit to ${table}`).toBeNull();
    }
  });

  it('forgets a session that ended or an account that stopped, and keeps nothing of a statement that ran meanwhile', () => {
    const memory = new FeedMemory<string>(10);
    const tables = { key: 'd:t1', districtId: 'd', accountId: null, tables: ['t1'] };
    let mark = memory.mark(asked);
    memory.ended({ districtId: 'd', kind: 'account', id: 'x' });
    memory.keep(asked, mark, 'x');
    expect(memory.recall(asked, now), 'an ending heard while it was loaded').toBeNull();
    memory.keep(asked, memory.mark(asked), 'x');
    memory.keep(tables, memory.mark(tables), 'h');
    memory.ended({ districtId: 'e', kind: 'account', id: 'a' });
    expect(memory.recall(asked, now), 'another district').toBe('x');
    memory.ended({ districtId: 'd', kind: 'account', id: 'a' });
    expect(memory.recall(asked, now), 'its account stopped').toBeNull();
    memory.keep(asked, memory.mark(asked), 'x');
    memory.ended({ districtId: 'd', kind: 'session', id: 's' });
    expect(memory.recall(asked, now), 'its session ended').toBeNull();
    expect(memory.recall(tables, now), 'nobody’s answer stays').toBe('h');

    mark = memory.mark(asked);
    memory.feedLost();
    memory.keep(asked, mark, 'x');
    memory.keep(asked, memory.mark(asked), 'x');
    expect(memory.recall(asked, now), 'nothing after the feed is lost').toBeNull();
    expect(memory.recall(tables, now)).toBeNull();
  });

  it('lets a question asked while the same one is being answered share that answer, unless something was heard since it began', async () => {
    const memory = new FeedMemory<string>(10);
    const statements: Array<(answer: string) => void> = [];
    const ask = () => new Promise<string>((resolve) => statements.push(resolve));
    const first = memory.shared(asked, ask);
    const second = memory.shared(asked, ask);
    expect(statements, 'one statement for both').toHaveLength(1);
    memory.changed('d', 't1');
    const third = memory.shared(asked, ask);
    expect(statements, 'a commit heard since the first began: asked again').toHaveLength(2);
    const other = memory.shared({ ...asked, accountId: 'b' }, ask);
    expect(statements, 'another account’s question is its own').toHaveLength(3);
    statements[0]!('x');
    statements[1]!('y');
    statements[2]!('z');
    expect(await Promise.all([first, second, third, other])).toEqual(['x', 'x', 'y', 'z']);
    // Once answered, the next is asked anew (or recalled, if kept).
    void memory.shared(asked, ask);
    expect(statements).toHaveLength(4);
    memory.ended({ districtId: 'd', kind: 'session', id: 's' });
    void memory.shared(asked, ask);
    expect(statements, 'an ending heard since it began').toHaveLength(5);
  });

  it('starts again beyond its capacity', () => {
    const memory = new FeedMemory<number>(2);
    for (const key of ['a', 'b', 'c']) memory.keep({ ...asked, key }, memory.mark(asked), 1);
    expect([memory.recall({ ...asked, key: 'a' }, now), memory.recall({ ...asked, key: 'c' }, now)]).toEqual([null, 1]);
  });
});
