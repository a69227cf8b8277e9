import { beneficiaryPart } from '../../../domain/commission/lines';
import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { earningsFor } from '../../services/earnings';
import { listLedgerEntries } from '../../store/ledger';
import { myCollaborator } from './access';

/** My ledger lines of a month (every kind, with the trace of each) and my totals by kind. */
export const operation = implement(meCtvRoutes.ledger, async ({ deps, tenantId, query, caller }) => {
  const ctv = await myCollaborator(deps, tenantId, caller!.sub);
  const beneficiary = beneficiaryPart({ type: 'collaborator', id: ctv.id });
  const [page, earnings] = await Promise.all([
    listLedgerEntries(deps.store, tenantId, beneficiary, query.period, { limit: query.limit, cursor: query.cursor }),
    earningsFor(deps, tenantId, beneficiary, query.period),
  ]);
  return json(200, {
    period: query.period,
    earnings,
    items: page.entries.map((e) => ({
      entryId: e.entryId,
      kind: e.kind,
      lineKind: e.lineKind,
      amount: e.amount,
      periodId: e.periodId,
      reason: e.reason,
      recordedAt: e.recordedAt,
      source: e.source,
      trace: e.trace,
    })),
    nextCursor: page.nextCursor,
  });
});

export const handler = toLambda(operation);
