import { collaboratorSeenBy } from '../../../domain/access';
import { implement, json, toLambda } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { updateCollaborator } from '../../services/collaborators';

export const operation = implement(collaboratorRoutes.update, async ({ deps, tenantId, params, membership, headers, body, actor }) => {
  const { version, ...changes } = body;
  const ctx = {
    tenantId,
    collaboratorId: params.collaboratorId ?? '',
    membership: membership!,
    expectedVersion: expectedVersion(headers, version),
    actor,
  };
  const next = await updateCollaborator(deps, ctx, changes);
  return json(200, collaboratorSeenBy(membership!, next), etag(next.version));
});

export const handler = toLambda(operation);
