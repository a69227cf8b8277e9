import { calendarOf } from '../../../domain/entities/tenant';
import { ULID_PATTERN } from '../../../domain/ids';
import { diffLedger } from '../../../domain/commission/ledger';
import { notFound } from '../../../domain/errors';
import { periodIdAt } from '../../../domain/period';
import { disputeAdjustmentLine, type Dispute } from '../../../domain/statements';
import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { statementRoutes } from '../../routes/statements';
import { openPeriodAfter, STATEMENT_CYCLE } from '../../services/orders';
import { keys } from '../../store/keys';
import { ledgerWriteItems } from '../../store/ledger';
import { closedListUnchanged, getPeriodsState } from '../../store/periods';
import { changeMarkerItems } from '../../store/snapshots';
import { getDispute, resolveDispute } from '../../store/statements';
import { getSettings } from '../../store/tenants';
import { preconditionFailed } from '../../../domain/errors';
import { visibleStatement } from '../../services/statement-access';
import { disputeView } from '../../services/statement-views';

/**
 * adjusted: an adjustment line for the CTV (±amount, with the reason in its trace) is booked into
 * the open month in the same transaction as the resolution, so it is booked exactly once; the
 * disputed statement itself never changes (a closed statement is frozen; a paid one immutable).
 */
export const operation = implement(statementRoutes.resolve, async ({ deps, tenantId, params, headers, body, membership, actor }) => {
  const statement = await visibleStatement(deps, tenantId, params, membership!);
  const before = ULID_PATTERN.test(params.disputeId ?? '')
    ? await getDispute(deps.store, tenantId, statement.collaboratorId, statement.periodId, params.disputeId!)
    : null;
  if (!before) throw notFound('Dispute');
  if (before.version !== expectedVersion(headers, undefined) || before.status !== 'open') throw preconditionFailed('The dispute changed since you read it (or is resolved already)');
  const now = deps.now().toISOString();
  const [settings, { closed, version }] = await Promise.all([getSettings(deps.store, tenantId), getPeriodsState(deps.store, tenantId)]);
  const open = openPeriodAfter(periodIdAt(Date.parse(now), STATEMENT_CYCLE, calendarOf(settings)), closed);

  let extra: Parameters<typeof resolveDispute>[3] = [];
  let resolution: Dispute['resolution'];
  if (body.outcome === 'adjusted') {
    const line = disputeAdjustmentLine(before, body.amount, body.reason);
    const entries = diffLedger([], [line], { recordedAt: now, periodId: open, openPeriodId: open, closedPeriodIds: closed });
    extra = [
      ...ledgerWriteItems(deps.store, tenantId, entries, {
        itemKey: (n) => keys.disputeLedgerItem(tenantId, before.collaboratorId, before.id, n),
        sortKey: (n) => `${now}#D#${before.id}#${n}`,
        attributes: { disputeId: before.id },
      }).map((item) => (item.Put ? { Put: { ...item.Put, ConditionExpression: 'attribute_not_exists(pk)' } } : item)),
      ...changeMarkerItems(deps.store, tenantId, [before.collaboratorId], now),
      closedListUnchanged(deps.store, tenantId, version),
    ];
    resolution = { outcome: 'adjusted', reason: body.reason, amount: body.amount, bookedIn: open };
  } else {
    resolution = { outcome: 'rejected', reason: body.reason };
  }
  const after: Dispute = { ...before, status: body.outcome, resolvedAt: now, resolvedBy: actor, resolution, version: before.version + 1 };
  await resolveDispute(deps.store, before, after, extra);
  return {
    ...json(200, disputeView(after), etag(after.version)),
    audit: { before: disputeView(before), after: disputeView(after) },
  };
});

export const handler = toLambda(operation);
