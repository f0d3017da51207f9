import { expect } from 'chai';
import type { AssignmentDocument } from '../../../server/contract/sync/assignments.ts';
import type { GradingPeriod } from '../../../server/contract/sync/sections.ts';
import { describe, it } from '../../test/mocha.ts';
import { currentGradingPeriod } from './roster.ts';

const periods: GradingPeriod[] = [
  { id: 'q2', name: 'Quarter 2', sequence: 2, start: '2026-11-02', end: '2027-01-22' },
  { id: 'q1', name: 'Quarter 1', sequence: 1, start: '2026-08-31', end: '2026-10-30' },
];
const work = (gradingPeriodId: string, dueOn: string) => ({ gradingPeriodId, dueOn }) as AssignmentDocument;

describe('currentGradingPeriod', () => {
  it('opens the grading period running today, even before it has any work', () => {
    expect(currentGradingPeriod([work('q1', '2026-10-20')], '2026-11-24', periods)).to.equal('q2');
  });

  it('between periods, the last one begun; before the first, the first', () => {
    expect(currentGradingPeriod([], '2026-10-31', periods)).to.equal('q1');
    expect(currentGradingPeriod([], '2026-08-01', periods)).to.equal('q1');
  });

  it('without the term’s periods (an older document), the period whose work is due around today', () => {
    expect(currentGradingPeriod([work('q1', '2026-10-20'), work('q2', '2026-11-10')], '2026-11-24')).to.equal('q2');
    expect(currentGradingPeriod([work('q1', '2026-10-20'), work('q2', '2026-12-10')], '2026-11-24')).to.equal('q1');
    expect(currentGradingPeriod([], '2026-11-24')).to.equal(undefined);
  });
});
