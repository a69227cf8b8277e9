import { beneficiaryPart } from '../../domain/commission/lines';
import type { Collaborator } from '../../domain/entities/collaborator';
import { conflict, notFound, ruleViolation } from '../../domain/errors';
import { checkOrderRange } from '../../domain/orders/listing';
import { addDays, localDay, startOfLocalDay } from '../../domain/period';
import type { Dispute, OpenDisputeInput } from '../../domain/statements';
import type { Deps } from '../deps';
import { listLedgerEntries } from '../store/ledger';
import { listOrders } from '../store/orders';
import type { PageRequest } from '../store/paging';
import { getSnapshot } from '../store/snapshots';
import {
  disputesOfStatement,
  getStatement,
  listDisputesOfCollaborator,
  listStatementsOfCollaborator,
  openDispute,
  statementEntries,
} from '../store/statements';
import { getSettings } from '../store/tenants';
import { earningsFor } from './earnings';
import { orderView } from './order-views';
import { linkedCollaborator } from './pages';
import { disputeView, statementDetail, statementView } from './statement-views';

/**
 * A CTV's own pages: what the signed-in account sees of the CTV record it joined the business
 * with (its orders, ledger, statements, disputes, snapshots). Without such a record, 404.
 */

/** The caller's own CTV record in the business (the account they joined the page with). */
export async function myCollaborator(deps: Deps, tenantId: string, sub: string): Promise<Collaborator> {
  const ctv = await linkedCollaborator(deps, tenantId, sub);
  if (!ctv) throw notFound('Collaborator');
  return ctv;
}

/** The orders credited to me, created on the local days `from` to `to` (default: the 90 days to today). */
export async function myOrders(
  deps: Deps,
  tenantId: string,
  sub: string,
  query: PageRequest & { from?: string | undefined; to?: string | undefined },
) {
  const ctv = await myCollaborator(deps, tenantId, sub);
  const { timeZone, holdingDays } = await getSettings(deps.store, tenantId);
  const now = deps.now();
  const to = query.to ?? localDay(now.getTime(), timeZone);
  const from = query.from ?? addDays(to, -90);
  checkOrderRange(from, to);
  const filter = {
    collaboratorId: ctv.id,
    from: new Date(startOfLocalDay(from, timeZone)).toISOString(),
    to: new Date(startOfLocalDay(addDays(to, 1), timeZone) - 1).toISOString(),
  };
  const page = await listOrders(deps.store, tenantId, filter, [], { limit: query.limit, cursor: query.cursor });
  const asOf = now.toISOString();
  return { items: page.items.map((o) => orderView(o, [], holdingDays, asOf)), nextCursor: page.nextCursor };
}

/** My ledger lines of a month (every kind, with the trace of each) and my totals by kind. */
export async function myLedger(deps: Deps, tenantId: string, sub: string, query: PageRequest & { period: string }) {
  const ctv = await myCollaborator(deps, tenantId, sub);
  const beneficiary = beneficiaryPart({ type: 'collaborator', id: ctv.id });
  const [page, earnings] = await Promise.all([
    listLedgerEntries(deps.store, tenantId, beneficiary, query.period, { limit: query.limit, cursor: query.cursor }),
    earningsFor(deps, tenantId, beneficiary, query.period),
  ]);
  return {
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
  };
}

/** My snapshot of a period (what the nightly run saw), or 404. */
export async function mySnapshot(deps: Deps, tenantId: string, sub: string, period: string) {
  const ctv = await myCollaborator(deps, tenantId, sub);
  const snapshot = await getSnapshot(deps.store, tenantId, period, ctv.id);
  if (!snapshot) throw notFound('Snapshot');
  const { tenantId: _t, ...rest } = snapshot;
  return rest;
}

/** One page of my statements. */
export async function myStatements(deps: Deps, tenantId: string, sub: string, page: PageRequest) {
  const ctv = await myCollaborator(deps, tenantId, sub);
  const statements = await listStatementsOfCollaborator(deps.store, tenantId, ctv.id, page);
  return { items: statements.items.map(statementView), nextCursor: statements.nextCursor };
}

/** My statement of a month with its lines, pending entries and disputes (and its version), or 404. */
export async function myStatement(deps: Deps, tenantId: string, sub: string, month: string) {
  const ctv = await myCollaborator(deps, tenantId, sub);
  const statement = await getStatement(deps.store, tenantId, ctv.id, month);
  if (!statement) throw notFound('Statement');
  return { version: statement.version, detail: await statementDetail(deps, statement) };
}

/** One page of my disputes. */
export async function myDisputes(deps: Deps, tenantId: string, sub: string, page: PageRequest) {
  const ctv = await myCollaborator(deps, tenantId, sub);
  const disputes = await listDisputesOfCollaborator(deps.store, tenantId, ctv.id, page);
  return { items: disputes.items.map(disputeView), nextCursor: disputes.nextCursor };
}

/** I dispute one line of my statement of a month (a settled line, or an entry it leaves pending); one open dispute per line. */
export async function openMyDispute(
  deps: Deps,
  tenantId: string,
  sub: string,
  month: string,
  input: OpenDisputeInput,
  actor: string,
): Promise<Dispute> {
  const ctv = await myCollaborator(deps, tenantId, sub);
  const statement = await getStatement(deps.store, tenantId, ctv.id, month);
  if (!statement) throw notFound('Statement');
  const [lines, pending, disputes] = await Promise.all([
    statementEntries(deps.store, statement, 'LINES'),
    statementEntries(deps.store, statement, 'PENDING'),
    disputesOfStatement(deps.store, tenantId, ctv.id, month),
  ]);
  const line = [...lines, ...pending].find((e) => e.entryId === input.entryId);
  if (!line) throw ruleViolation('This statement has no line with that entryId', 'entryId');
  if (disputes.some((d) => d.entryId === input.entryId && d.status === 'open')) throw conflict('This line is already disputed', 'entryId');
  const dispute: Dispute = {
    id: deps.newId(),
    tenantId,
    collaboratorId: ctv.id,
    periodId: month,
    entryId: input.entryId,
    line: { kind: line.kind, amount: line.amount, key: line.key },
    message: input.message,
    status: 'open',
    openedAt: deps.now().toISOString(),
    openedBy: actor,
    version: 1,
  };
  await openDispute(deps.store, dispute);
  return dispute;
}
