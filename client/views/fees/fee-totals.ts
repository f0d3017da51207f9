/** Pure sums for the fees tab: what was assessed, paid and is still owed, in cents. */
import type { FeeDocument } from '../../../server/contract/sync/fees.ts';

export interface FeeTotals {
  /** Assessed, waived fees left out (nothing is owed on them). */
  assessedCents: number;
  paidCents: number;
  balanceCents: number;
}

export const noFees: FeeTotals = { assessedCents: 0, paidCents: 0, balanceCents: 0 };

export function feeTotals(fees: ReadonlyArray<Pick<FeeDocument, 'amountCents' | 'paidCents' | 'balanceCents' | 'waived'>>): FeeTotals {
  return fees.reduce(
    (sum, fee) => ({
      assessedCents: sum.assessedCents + (fee.waived ? 0 : fee.amountCents),
      paidCents: sum.paidCents + fee.paidCents,
      balanceCents: sum.balanceCents + fee.balanceCents,
    }),
    noFees,
  );
}

export function addTotals(a: FeeTotals, b: FeeTotals): FeeTotals {
  return { assessedCents: a.assessedCents + b.assessedCents, paidCents: a.paidCents + b.paidCents, balanceCents: a.balanceCents + b.balanceCents };
}
