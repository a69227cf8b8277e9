import { conflict, ruleViolation } from '../../../domain/errors';
import { selectPayouts } from '../../../domain/payouts';
import { sumVnd } from '../../../domain/money';
import { implement, json, toLambda } from '../../http/operation';
import { collaboratorsById } from '../../jobs/data';
import { payoutRoutes } from '../../routes/payouts';
import { buildingPayout, finishPayout, putNewPayout, type PayoutBatch } from '../../store/payouts';
import { getPeriodRecord } from '../../store/periods';
import { allStatementsOfMonth, batchStatement, statementsOfBatch } from '../../store/statements';
import { getSettings } from '../../store/tenants';
import { payoutView } from './view';

/**
 * A batch of a closed month: every approved statement whose balance reaches the minimum payout
 * and whose CTV has a bank account moves approved → batched (one conditional write each, so a
 * statement is in at most one batch); the batch's total is then summed from the statements it
 * holds. A request that died half-way left the batch `building`: the next request finishes it.
 */
export const operation = implement(payoutRoutes.create, async ({ deps, tenantId, body, actor }) => {
  const month = body.periodId;
  const record = await getPeriodRecord(deps.store, tenantId, month);
  if (record?.state !== 'closed') throw ruleViolation(`${month} is not closed: its statements are not final`, 'periodId');
  const [settings, statements, resumed] = await Promise.all([
    getSettings(deps.store, tenantId),
    allStatementsOfMonth(deps.store, tenantId, month),
    buildingPayout(deps.store, tenantId, month),
  ]);
  const ctvs = await collaboratorsById(deps.store, tenantId, statements.map((s) => s.collaboratorId));
  const candidates = statements.map((s) => ({ ...s, bank: ctvs.get(s.collaboratorId)?.bank ?? null }));
  const selection = selectPayouts(candidates, settings.minimumPayout);
  const skipped = selection.skipped
    .filter((x) => x.reason !== 'not_payable')
    .map((x) => ({ collaboratorId: x.statement.collaboratorId, balance: x.statement.balance, reason: x.reason }));
  if (selection.include.length === 0 && !resumed) {
    throw ruleViolation(`No statement of ${month} is approved, at or above the minimum payout, with bank details`, 'periodId');
  }

  const now = deps.now().toISOString();
  const batch: PayoutBatch = resumed ?? {
    id: deps.newId(),
    tenantId,
    periodId: month,
    status: 'building',
    count: 0,
    total: 0,
    minimumPayout: settings.minimumPayout,
    createdAt: now,
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
    if (await batchStatement(deps.store, s, batch.id, payout)) members.set(s.collaboratorId, { ...s, status: 'batched', batchId: batch.id, payout });
  }
  if (members.size === 0) throw conflict('Every statement was taken by another batch meanwhile');
  const held = [...members.values()];
  const done = await finishPayout(deps.store, batch, {
    count: held.length,
    total: sumVnd(held.map((s) => s.payout!.amount)),
    skipped,
  });
  const view = payoutView(done, held);
  return {
    ...json(201, view, { location: `/v1/tenants/${tenantId}/payouts/${done.id}`, etag: `"${done.version}"` }),
    audit: { after: { id: done.id, periodId: month, count: done.count, total: done.total, skipped: skipped.length } },
  };
});

export const handler = toLambda(operation);
