import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { okrRoutes } from '../../routes/okr';
import { updateKeyResult } from '../../services/okr';
import { objectiveView } from './view';

/** Record a key result's current value, over the objective's version (If-Match); a lost update is a 412. */
export const operation = implement(okrRoutes.updateKeyResult, async ({ deps, tenantId, params, body, headers, actor, membership }) => {
  const target = {
    objectiveId: params.objectiveId ?? '',
    keyResultId: params.keyResultId ?? '',
    expectedVersion: expectedVersion(headers, body.version),
  };
  const next = await updateKeyResult(deps, tenantId, membership!, target, body.current, actor);
  return json(200, objectiveView(next), etag(next.version));
});

export const handler = toLambda(operation);
