/**
 * Resolving a CTV's dispute of a statement line (DOMAIN.md "Periods, snapshots and payouts"):
 * rejected with a written reason, or adjusted: an adjustment line for the CTV (±amount, the reason
 * in its trace) is posted to the ledger, into the open month, in the same transaction as the
 * resolution, so it is booked exactly once. The disputed statement itself never changes (a closed
 * statement is frozen; a paid one immutable).
 */
import type { Membership } from '../../domain/entities/roster';
import { calendarOf } from '../../domain/entities/tenant';
import { notFound, preconditionFailed } from '../../domain/errors';
import { ULID_PATTERN } from '../../domain/ids';
import { disputeAdjustmentLine, type Dispute, type ResolveDisputeInput } from '../../domain/statements';
import type { Deps } from '../deps';
import { getPeriodsState } from '../store/periods';
import { getDispute, resolveDispute } from '../store/statements';
import { getSettings } from '../store/tenants';
import { postToLedger } from './ledger-posting';
import { visibleStatement } from './statement-access';

export interface DisputeResolution {
  tenantId: string;
  /** periodId, collaboratorId, disputeId of the path */
  params: Record<string, string>;
  membership: Membership;
  actor: string;
  /** the dispute's version the caller read */
  expectedVersion: number;
}

/** Resolve an open dispute over the version read (else 412); the dispute before and after. */
export async function resolveStatementDispute(
  deps: Deps,
  ctx: DisputeResolution,
  input: ResolveDisputeInput,
): Promise<{ before: Dispute; after: Dispute }> {
  const { tenantId } = ctx;
  const statement = await visibleStatement(deps, tenantId, ctx.params, ctx.membership);
  const before = ULID_PATTERN.test(ctx.params.disputeId ?? '')
    ? await getDispute(deps.store, tenantId, statement.collaboratorId, statement.periodId, ctx.params.disputeId!)
    : null;
  if (!before) throw notFound('Dispute');
  if (before.version !== ctx.expectedVersion || before.status !== 'open')
    throw preconditionFailed('The dispute changed since you read it (or is resolved already)');
  const now = deps.now().toISOString();

  let posting: ReturnType<typeof postToLedger> | null = null;
  let resolution: Dispute['resolution'];
  if (input.outcome === 'adjusted') {
    const [settings, closed] = await Promise.all([getSettings(deps.store, tenantId), getPeriodsState(deps.store, tenantId)]);
    posting = postToLedger(deps.store, {
      tenantId,
      source: { type: 'dispute', collaboratorId: before.collaboratorId, disputeId: before.id },
      desired: [disputeAdjustmentLine(before, input.amount, input.reason)],
      // a dispute is resolved once (its version and status guard it): it holds nothing before
      held: [],
      at: now,
      timeZone: calendarOf(settings),
      closed,
    });
    // booked where the posting landed: the open month (an adjustment is never 0, so there is one entry)
    resolution = { outcome: 'adjusted', reason: input.reason, amount: input.amount, bookedIn: posting.entries[0]!.periodId };
  } else {
    resolution = { outcome: 'rejected', reason: input.reason };
  }
  const after: Dispute = {
    ...before,
    status: input.outcome,
    resolvedAt: now,
    resolvedBy: ctx.actor,
    resolution,
    version: before.version + 1,
  };
  await resolveDispute(deps.store, before, after, posting?.items ?? []);
  return { before, after };
}
