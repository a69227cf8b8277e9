import { collaboratorSeenBy } from '../../../domain/access';
import type { StatusAction } from '../../../domain/entities/collaborator';
import { implement, json } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { changeCollaboratorStatus } from '../../services/collaborators';

/**
 * The operation of a status route (approve, pause, resume, block: routes/collaborators.ts makes
 * the four routes alike): the action is all they differ by. Each keeps its own handler file, so
 * each is its own function.
 */
export const statusChange = (action: StatusAction) =>
  implement(collaboratorRoutes[action], async ({ deps, tenantId, params, membership, headers, body, actor }) => {
    const ctx = {
      tenantId,
      collaboratorId: params.collaboratorId ?? '',
      membership: membership!,
      expectedVersion: expectedVersion(headers, body.version),
      actor,
    };
    const next = await changeCollaboratorStatus(deps, ctx, action, body.reason);
    return json(200, collaboratorSeenBy(membership!, next), etag(next.version));
  });
