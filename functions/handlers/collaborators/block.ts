import { collaboratorSeenBy } from '../../../domain/access';
import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { changeCollaboratorStatus } from '../../services/collaborators';

export const operation = implement(collaboratorRoutes.block, async ({ deps, tenantId, params, membership, headers, body, actor }) => {
  const ctx = {
    tenantId,
    collaboratorId: params.collaboratorId ?? '',
    membership: membership!,
    expectedVersion: expectedVersion(headers, body.version),
    actor,
  };
  const next = await changeCollaboratorStatus(deps, ctx, 'block', body.reason);
  return json(200, collaboratorSeenBy(membership!, next), etag(next.version));
});

export const handler = toLambda(operation);
