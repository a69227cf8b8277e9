import { collaboratorSeenBy } from '../../../domain/access';
import type { StatusAction } from '../../../domain/entities/collaborator';
import { implement, json, type OperationContext } from '../../http/operation';
import { etag, expectedVersion } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { changeCollaboratorStatus, type ChangeContext } from '../../services/collaborators';

/** What a change of one CTV takes from its request: which CTV, who asks, and the version they read. */
export function changeContextOf(
  r: Pick<OperationContext<{ version?: number | undefined }, unknown>, 'tenantId' | 'params' | 'membership' | 'headers' | 'body' | 'actor'>,
): ChangeContext {
  return {
    tenantId: r.tenantId,
    collaboratorId: r.params.collaboratorId ?? '',
    membership: r.membership!,
    expectedVersion: expectedVersion(r.headers, r.body.version),
    actor: r.actor,
  };
}

/**
 * The operation of a status route (approve, pause, resume, block: routes/collaborators.ts makes
 * the four routes alike): the action is all they differ by. Each keeps its own handler file, so
 * each is its own function.
 */
export const statusChange = (action: StatusAction) =>
  implement(collaboratorRoutes[action], async (r) => {
    const next = await changeCollaboratorStatus(r.deps, changeContextOf(r), action, r.body.reason);
    return json(200, collaboratorSeenBy(r.membership!, next), etag(next.version));
  });
