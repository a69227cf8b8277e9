import { conflict, notFound, preconditionFailed, ruleViolation } from '../../domain/errors';
import { ULID_PATTERN } from '../../domain/ids';
import { sumVnd } from '../../domain/money';
import { payoutCsv, selectPayouts, type CsvSeparator, type PayoutRow } from '../../domain/payouts';
import type { Deps } from '../deps';
import { getCollaboratorsById } from '../store/collaborators';
import { buildingPayout, finishPayout, getPayout, markPayoutPaid, putNewPayout, type PayoutBatch } from '../store/payouts';
import { getPeriodRecord } from '../store/periods';
import { allStatementsOfMonth, batchStatement, markStatementPaid, statementsOfBatch, type StatementHeader } from '../store/statements';
import { getSettings } from '../store/tenants';

/** A payout batch of the business, or 404 (an id that is no ULID is not read). */
export async function payoutOf(deps: Deps, tenantId: string, batchId: string): Promise<PayoutBatch> {
  const batch = ULID_PATTERN.test(batchId) ? await getPayout(deps.store, tenantId, batchId) : null;
  if (!batch) throw notFound('Payout batch');
  return batch;
}

/** A batch with the statements it holds. */
export async function payoutWithStatements(deps: Deps, tenantId: string, batchId: string) {
  const batch = await payoutOf(deps, tenantId, batchId);
  return { batch, statements: await statementsOfBatch(deps.store, tenantId, batch.id) };
}

/** A statement the batch index does not show yet (right after batching) would be left out: the caller retries. */
function assertIndexed(batch: PayoutBatch, statements: readonly StatementHeader[]): void {
  if (statements.length !== batch.count) throw conflict('The batch is still being indexed; retry in a few seconds');
}

/**
 * A batch of a closed month: every approved statement whose balance reaches the minimum payout
 * and whose CTV has a bank account moves approved → batched (one conditional write each, so a
 * statement is in at most one batch); the batch's total is then summed from the statements it
 * holds. A request that died half-way left the batch `building`: the next request finishes it.
 * `skipped`: the statements left out, and why (those not payable at all are not listed).
 */
export async function createPayout(deps: Deps, tenantId: string, month: string, actor: string) {
  const record = await getPeriodRecord(deps.store, tenantId, month);
  if (record?.state !== 'closed') throw ruleViolation(`${month} is not closed: its statements are not final`, 'periodId');
  const [settings, statements, resumed] = await Promise.all([
    getSettings(deps.store, tenantId),
    allStatementsOfMonth(deps.store, tenantId, month),
    buildingPayout(deps.store, tenantId, month),
  ]);
  const ctvs = await getCollaboratorsById(
    deps.store,
    tenantId,
    statements.map((s) => s.collaboratorId),
  );
  const candidates = statements.map((s) => ({ ...s, bank: ctvs.get(s.collaboratorId)?.bank ?? null }));
  const selection = selectPayouts(candidates, settings.minimumPayout);
  const skipped = selection.skipped
    .filter((x) => x.reason !== 'not_payable')
    .map((x) => ({ collaboratorId: x.statement.collaboratorId, balance: x.statement.balance, reason: x.reason }));
  if (selection.include.length === 0 && !resumed) {
    throw ruleViolation(`No statement of ${month} is approved, at or above the minimum payout, with bank details`, 'periodId');
  }

  const batch: PayoutBatch = resumed ?? {
    id: deps.newId(),
    tenantId,
    periodId: month,
    status: 'building',
    count: 0,
    total: 0,
    minimumPayout: settings.minimumPayout,
    createdAt: deps.now().toISOString(),
    createdBy: actor,
    version: 1,
  };
  if (!resumed) await putNewPayout(deps.store, batch);
  // the batch's statements: those batched now (known here), and those an earlier, interrupted
  // request batched (through the batch index, written long enough ago to be there)
  const members = new Map((resumed ? await statementsOfBatch(deps.store, tenantId, batch.id) : []).map((s) => [s.collaboratorId, s]));
  for (const s of selection.include) {
    const ctv = ctvs.get(s.collaboratorId)!;
    const payout = { name: ctv.name, refId: ctv.refId, phone: ctv.phone, bank: s.bank!, amount: s.balance };
    if (await batchStatement(deps.store, s, batch.id, payout))
      members.set(s.collaboratorId, { ...s, status: 'batched', batchId: batch.id, payout });
  }
  if (members.size === 0) throw conflict('Every statement was taken by another batch meanwhile');
  const held = [...members.values()];
  const done = await finishPayout(deps.store, batch, { count: held.length, total: sumVnd(held.map((s) => s.payout!.amount)), skipped });
  return { batch: done, statements: held, skipped };
}

/**
 * ready → paid, over the version read (`expectedVersion`, else 412): every statement of the batch
 * first (each idempotent), then the batch. `paidAt` defaults to now.
 */
export async function markPayoutBatchPaid(
  deps: Deps,
  tenantId: string,
  batchId: string,
  expectedVersion: number,
  paid: { paidAt?: string | undefined; reference?: string | undefined },
  actor: string,
) {
  const before = await payoutOf(deps, tenantId, batchId);
  if (before.version !== expectedVersion || before.status !== 'ready')
    throw preconditionFailed(`The batch is ${before.status} at version ${before.version}`);
  const at = paid.paidAt ?? deps.now().toISOString();
  const statements = await statementsOfBatch(deps.store, tenantId, before.id);
  assertIndexed(before, statements);
  for (const s of statements) await markStatementPaid(deps.store, s, before.id, at);
  const after = await markPayoutPaid(deps.store, before, expectedVersion, actor, at, paid.reference);
  return { before, after, statements, paidAt: at };
}

/** The lines of a batch's bank-transfer file, as the batch froze them: names and bank details at batching time. */
export async function payoutTransferRows(
  deps: Deps,
  tenantId: string,
  batchId: string,
): Promise<{ batch: PayoutBatch; rows: PayoutRow[] }> {
  const batch = await payoutOf(deps, tenantId, batchId);
  if (batch.status === 'building') throw conflict('The batch is still being built; create it again to finish it');
  const statements = (await statementsOfBatch(deps.store, tenantId, batch.id)).sort((a, b) =>
    a.collaboratorId < b.collaboratorId ? -1 : 1,
  );
  assertIndexed(batch, statements);
  const rows = statements.map((s) => ({
    refId: s.payout!.refId,
    name: s.payout!.name,
    phone: s.payout!.phone,
    bank: s.payout!.bank,
    amount: s.payout!.amount,
    periodId: s.periodId,
  }));
  return { batch, rows };
}

/** The bank-transfer file of a batch (CSV, fields split by `separator`). */
export async function payoutTransferFile(
  deps: Deps,
  tenantId: string,
  batchId: string,
  separator: CsvSeparator,
): Promise<{ batch: PayoutBatch; csv: string }> {
  const { batch, rows } = await payoutTransferRows(deps, tenantId, batchId);
  return { batch, csv: payoutCsv(rows, separator) };
}
