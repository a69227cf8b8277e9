import { conflict, notFound, ruleViolation } from '../../../domain/errors';
import type { Dispute } from '../../../domain/statements';
import { implement, json, toLambda } from '../../http/operation';
import { meCtvRoutes } from '../../routes/me-ctv';
import { disputesOfStatement, getStatement, openDispute, statementEntries } from '../../store/statements';
import { monthParam } from '../../services/statement-access';
import { disputeView } from '../../services/statement-views';
import { myCollaborator } from './access';

/** A CTV disputes one line of their statement (a settled line, or an entry it leaves pending). */
export const operation = implement(meCtvRoutes.openDispute, async ({ deps, tenantId, params, body, caller, actor }) => {
  const month = monthParam(params.periodId);
  const ctv = await myCollaborator(deps, tenantId, caller!.sub);
  const statement = await getStatement(deps.store, tenantId, ctv.id, month);
  if (!statement) throw notFound('Statement');
  const [lines, pending, disputes] = await Promise.all([
    statementEntries(deps.store, statement, 'LINES'),
    statementEntries(deps.store, statement, 'PENDING'),
    disputesOfStatement(deps.store, tenantId, ctv.id, month),
  ]);
  const line = [...lines, ...pending].find((e) => e.entryId === body.entryId);
  if (!line) throw ruleViolation('This statement has no line with that entryId', 'entryId');
  if (disputes.some((d) => d.entryId === body.entryId && d.status === 'open')) throw conflict('This line is already disputed', 'entryId');
  const dispute: Dispute = {
    id: deps.newId(),
    tenantId,
    collaboratorId: ctv.id,
    periodId: month,
    entryId: body.entryId,
    line: { kind: line.kind, amount: line.amount, key: line.key },
    message: body.message,
    status: 'open',
    openedAt: deps.now().toISOString(),
    openedBy: actor,
    version: 1,
  };
  await openDispute(deps.store, dispute);
  return json(201, disputeView(dispute), { location: `/v1/tenants/${tenantId}/me/statements/${month}`, etag: '"1"' });
});

export const handler = toLambda(operation);
