import { beneficiaryPart } from '../../../domain/commission/lines';
import { ruleViolation } from '../../../domain/errors';
import { parsePeriod } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { orderRoutes } from '../../routes/orders';
import { listLedgerEntries } from '../../store/ledger';
import { visibleCollaborator } from '../../services/visibility';

export const operation = implement(orderRoutes.collaboratorLedger, async ({ deps, tenantId, params, query, membership }) => {
  const ctv = await visibleCollaborator(deps, tenantId, params.collaboratorId ?? '', membership!);
  if (parsePeriod(query.period)?.cycle !== 'month') throw ruleViolation('The ledger is kept by month, e.g. 2026-10', 'period');
  const page = await listLedgerEntries(deps.store, tenantId, beneficiaryPart({ type: 'collaborator', id: ctv.id }), query.period, query);
  // states here are as recorded; an order's GET shows them matured (payable after the holding period)
  const items = page.entries.map((e) => ({ ...e, payableFrom: null }));
  return json(200, { period: query.period, items, nextCursor: page.nextCursor });
});

export const handler = toLambda(operation);
