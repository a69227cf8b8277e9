import { notFound, preconditionFailed } from '../../../domain/errors';
import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { okrRoutes } from '../../routes/okr';
import { saveObjective, type StoredObjective } from '../../store/okr';
import { objectiveView, visibleObjective } from './view';

/** Record a key result's current value, over the objective's version (If-Match); a lost update is a 412. */
export const operation = implement(okrRoutes.updateKeyResult, async ({ deps, tenantId, params, body, headers, actor, membership }) => {
  const expected = expectedVersion(headers, body.version);
  const o = await visibleObjective(deps, tenantId, params.objectiveId ?? '', membership!);
  const index = o.keyResults.findIndex((kr) => kr.id === params.keyResultId);
  if (index < 0) throw notFound('Key result');
  if (o.version !== expected) throw preconditionFailed();
  const now = deps.now().toISOString();
  const next: StoredObjective = {
    ...o,
    keyResults: o.keyResults.map((kr, i) => (i === index ? { ...kr, current: body.current, updatedAt: now, updatedBy: actor } : kr)),
    version: o.version + 1,
    updatedAt: now,
    updatedBy: actor,
  };
  await saveObjective(deps.store, next);
  return json(200, objectiveView(next), etag(next.version));
});

export const handler = toLambda(operation);
