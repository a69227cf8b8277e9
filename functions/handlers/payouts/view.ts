import type { PayoutBatch } from '../../store/payouts';
import type { StatementHeader } from '../../store/statements';

export function payoutView(b: PayoutBatch, statements?: readonly StatementHeader[]) {
  const { tenantId, ...rest } = b;
  return {
    tenantId,
    ...rest,
    ...(statements
      ? {
          items: [...statements]
            .sort((x, y) => (x.collaboratorId < y.collaboratorId ? -1 : 1))
            .filter((s) => s.payout)
            .map((s) => ({
              collaboratorId: s.collaboratorId,
              refId: s.payout!.refId,
              name: s.payout!.name,
              amount: s.payout!.amount,
              bank: s.payout!.bank,
            })),
        }
      : {}),
  };
}
