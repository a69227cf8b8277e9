import { invalid } from '../../../domain/errors';
import { parsePeriod } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { periodRoutes } from '../../routes/periods';
import { allFrozenOf, careStaffIdsInScope, frozenHeadOf, staffScopeOf } from '../../services/kpi-results';
import { getPeriodRecord } from '../../store/periods';
import { getStaffSnapshot } from '../../store/snapshots';
import { periodSeenBy } from './view';

/**
 * A month: its close, and its KPI and OKR results. A month whose close froze them is shown as
 * frozen (as of its cut-off); an open month as the nightly run's last snapshot of it. A manager
 * sees the KPI results of their team's care staff (at the close, or now for an open month) and
 * their own OKR; the owner every one.
 */
export const operation = implement(periodRoutes.get, async ({ deps, tenantId, params, membership }) => {
  const scope = staffScopeOf(membership!);
  const month = params.periodId ?? '';
  if (parsePeriod(month)?.cycle !== 'month') throw invalid([{ path: 'periodId', message: 'a month, for example 2026-10' }]);
  const [record, head] = await Promise.all([getPeriodRecord(deps.store, tenantId, month), frozenHeadOf(deps, tenantId, month)]);
  const { tenantId: _t, ...whole } = record ?? { tenantId, id: month, state: 'open' as const };
  const rest = periodSeenBy(membership!, whole);
  if (head) {
    const frozen = await allFrozenOf(deps, tenantId, month, scope);
    return json(200, { ...rest, kpi: { asOf: head.asOf, items: frozen.kpi }, okr: { asOf: head.asOf, items: frozen.okr } });
  }
  const [kpi, okr, team] = await Promise.all([
    getStaffSnapshot(deps.store, tenantId, month, 'KPI'),
    getStaffSnapshot(deps.store, tenantId, month, 'OKR'),
    careStaffIdsInScope(deps, tenantId, scope),
  ]);
  type Item = { userId?: string; managerUserId?: string };
  const inTeam = (i: Item) => team === null || team.has(i.userId ?? '');
  const own = (i: Item) => scope.kind !== 'team' || i.managerUserId === scope.managerUserId;
  const staff = (s: typeof kpi, keep: (i: Item) => boolean) =>
    s ? { asOf: s.asOf, items: s.items ? (s.items as Item[]).filter(keep) : s.items, ...(s.unavailable ? { unavailable: s.unavailable } : {}) } : null;
  return json(200, { ...rest, kpi: staff(kpi, inTeam), okr: staff(okr, own) });
});

export const handler = toLambda(operation);
