import type { Membership } from '../../domain/entities/roster';
import { calendarOf } from '../../domain/entities/tenant';
import { staffScopeOf, type StaffScope } from '../../domain/kpi/scope';
import { conflict, notFound, ruleViolation } from '../../domain/errors';
import { addDays, parsePeriod, periodIdAt, periodRange } from '../../domain/period';
import { periodSeenBy } from '../../domain/period-summary';
import type { Deps } from '../deps';
import { startNightly } from '../jobs/nightly';
import type { JobQueue } from '../jobs/queue';
import { getPeriodRecord, listPeriodRecords } from '../store/periods';
import { getSnapshot, getStaffSnapshot, type StaffSnapshot } from '../store/snapshots';
import { getSettings } from '../store/tenants';
import { allFrozenOf, careStaffIdsInScope, frozenHeadOf } from './kpi-results';
import { visibleCollaborator } from './visibility';

/**
 * Close a month now rather than waiting for the night: a nightly run as of the day after the
 * month (which also closes any earlier month still open, oldest first). A month not yet ended is
 * a 422, a closed one a 409.
 */
export async function closeMonthNow(deps: Deps, tenantId: string, month: string, actor: string, queue: JobQueue | null) {
  const timeZone = calendarOf(await getSettings(deps.store, tenantId));
  // the month's last day under the business's cut-off (25: 2026-11 ends on 25 November)
  const ref = parsePeriod(month, timeZone)!;
  if (periodRange(month, timeZone)!.end > deps.now().getTime()) throw ruleViolation(`${month} has not ended yet`, 'periodId');
  if ((await getPeriodRecord(deps.store, tenantId, month))?.state === 'closed') throw conflict(`${month} is closed already`, 'periodId');
  return startNightly(deps, tenantId, { asOf: addDays(ref.lastDay, 1), mode: 'auto', requestedBy: actor }, queue);
}

/** Closed (and closing) months from their records, newest first, after the month open today (totals: the owner's). */
export async function monthsOfBusiness(deps: Deps, tenantId: string, membership: Membership) {
  const [settings, records] = await Promise.all([getSettings(deps.store, tenantId), listPeriodRecords(deps.store, tenantId)]);
  const current = periodIdAt(deps.now().getTime(), 'month', calendarOf(settings));
  const items: Record<string, unknown>[] = records
    .sort((a, b) => (a.id < b.id ? 1 : -1))
    .map(({ tenantId: _t, ...r }) => periodSeenBy(membership, r));
  if (!records.some((r) => r.id === current)) items.unshift({ id: current, state: 'open' });
  return items;
}

/**
 * A month: its close, and its KPI and OKR results. A month whose close froze them is shown as
 * frozen (as of its cut-off); an open month as the nightly run's last snapshot of it. A manager
 * sees the KPI results of their team's care staff (at the close, or now for an open month) and
 * their own OKR; the owner every one.
 */
export async function monthView(deps: Deps, tenantId: string, month: string, membership: Membership) {
  const scope = staffScopeOf(membership);
  const [record, head] = await Promise.all([getPeriodRecord(deps.store, tenantId, month), frozenHeadOf(deps, tenantId, month)]);
  const { tenantId: _t, ...whole } = record ?? { tenantId, id: month, state: 'open' as const };
  const rest = periodSeenBy(membership, whole);
  if (head) {
    const frozen = await allFrozenOf(deps, tenantId, month, scope);
    return { ...rest, kpi: { asOf: head.asOf, items: frozen.kpi }, okr: { asOf: head.asOf, items: frozen.okr } };
  }
  const [kpi, okr, team] = await Promise.all([
    getStaffSnapshot(deps.store, tenantId, month, 'KPI'),
    getStaffSnapshot(deps.store, tenantId, month, 'OKR'),
    careStaffIdsInScope(deps, tenantId, scope),
  ]);
  return { ...rest, kpi: snapshotSeen(kpi, (i) => team === null || team.has(i.userId ?? '')), okr: snapshotSeen(okr, ownOkr(scope)) };
}

type SnapshotItem = { userId?: string; managerUserId?: string };

/** A manager sees their own OKR; the owner every manager's. */
const ownOkr = (scope: StaffScope) => (i: SnapshotItem) => scope.kind !== 'team' || i.managerUserId === scope.managerUserId;

/** A snapshot's items the member may see (null: no snapshot yet). */
function snapshotSeen(s: StaffSnapshot | null, keep: (i: SnapshotItem) => boolean) {
  return s
    ? {
        asOf: s.asOf,
        items: s.items ? (s.items as SnapshotItem[]).filter(keep) : s.items,
        ...(s.unavailable ? { unavailable: s.unavailable } : {}),
      }
    : null;
}

/** The month's snapshot of a CTV the caller may see (404 for either). */
export async function collaboratorSnapshot(deps: Deps, tenantId: string, month: string, collaboratorId: string, membership: Membership) {
  const ctv = await visibleCollaborator(deps, tenantId, collaboratorId, membership);
  const snapshot = await getSnapshot(deps.store, tenantId, month, ctv.id);
  if (!snapshot) throw notFound('Snapshot');
  const { tenantId: _t, ...rest } = snapshot;
  return rest;
}
