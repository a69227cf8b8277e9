import { conflict, preconditionFailed } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { payoutRoutes } from '../../routes/payouts';
import { markPayoutPaid } from '../../store/payouts';
import { markStatementPaid, statementsOfBatch } from '../../store/statements';
import { payoutOf } from './access';
import { payoutView } from './view';

/** ready → paid: every statement of the batch first (idempotent), then the batch at the version read. */
export const operation = implement(payoutRoutes.markPaid, async ({ deps, tenantId, params, headers, body, actor }) => {
  const before = await payoutOf(deps, tenantId, params.batchId);
  const version = expectedVersion(headers, undefined);
  if (before.version !== version || before.status !== 'ready') throw preconditionFailed(`The batch is ${before.status} at version ${before.version}`);
  const at = body.paidAt ?? deps.now().toISOString();
  const statements = await statementsOfBatch(deps.store, tenantId, before.id);
  // read through the batch index: right after the batch was made it may not show every statement yet
  if (statements.length !== before.count) throw conflict('The batch is still being indexed; retry in a few seconds');
  for (const s of statements) await markStatementPaid(deps.store, s, before.id, at);
  const after = await markPayoutPaid(deps.store, before, version, actor, at, body.reference);
  return {
    ...json(200, payoutView(after, statements), etag(after.version)),
    audit: { before: { status: before.status }, after: { status: after.status, paidAt: at, total: after.total, count: after.count } },
  };
});

export const handler = toLambda(operation);
