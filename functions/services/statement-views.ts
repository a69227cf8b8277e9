import type { LedgerEntry } from '../../domain/commission/ledger';
import type { Dispute } from '../../domain/statements';
import type { Deps } from '../deps';
import { disputesOfStatement, statementEntries, type StatementHeader } from '../store/statements';

/** A statement header as the API shows it (no storage fields). */
export function statementView(s: StatementHeader) {
  const {
    rev: _rev,
    lineParts: _lp,
    pendingParts: _pp,
    jobId: _job,
    payout: _payout,
    careStaffUserId: _cs,
    managerUserId: _m,
    carriedAt: _ca,
    collaborator,
    ...rest
  } = s;
  return { ...rest, collaborator: { name: collaborator.name, refId: collaborator.refId } };
}

const lineView = (e: LedgerEntry & { payableFrom?: string }) => ({
  entryId: e.entryId,
  key: e.key,
  kind: e.kind,
  lineKind: e.lineKind,
  amount: e.amount,
  periodId: e.periodId,
  reason: e.reason,
  recordedAt: e.recordedAt,
  ...(e.payableFrom ? { payableFrom: e.payableFrom } : {}),
  source: e.source,
  trace: e.trace,
});

export const disputeView = ({ tenantId: _t, ...d }: Dispute) => d;

/** The statement with its settled lines (with traces), the entries it leaves pending, its disputes. */
export async function statementDetail(deps: Deps, s: StatementHeader) {
  const [lines, pending, disputes] = await Promise.all([
    statementEntries<LedgerEntry & { payableFrom: string }>(deps.store, s, 'LINES'),
    statementEntries(deps.store, s, 'PENDING'),
    disputesOfStatement(deps.store, s.tenantId, s.collaboratorId, s.periodId),
  ]);
  return { ...statementView(s), lines: lines.map(lineView), pending: pending.map(lineView), disputes: disputes.map(disputeView) };
}
