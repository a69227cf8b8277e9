import { collaboratorSeenBy } from '../../../domain/access';
import { changeStatus } from '../../../domain/entities/collaborator';
import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { changeCollaborator } from '../../services/collaborators';

export const operation = implement(collaboratorRoutes.approve, async ({ deps, tenantId, params, membership, headers, body, actor }) => {
  const next = await changeCollaborator(
    deps,
    { tenantId, collaboratorId: params.collaboratorId ?? '', membership: membership!, headers, bodyVersion: body.version },
    ['approve'],
    async (ctv, at) => ({ next: changeStatus(ctv, 'approve', at, actor, body.reason) }),
  );
  return json(200, collaboratorSeenBy(membership!, next), etag(next.version));
});

export const handler = toLambda(operation);
