import { collaboratorSeenBy } from '../../../domain/access';
import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { assignCollaboratorCareStaff } from '../../services/collaborators';
import { changeContextOf } from './status-change';

export const operation = implement(collaboratorRoutes.assignCareStaff, async (r) => {
  const next = await assignCollaboratorCareStaff(r.deps, changeContextOf(r), r.body.careStaffUserId, r.body.reason);
  return json(200, collaboratorSeenBy(r.membership!, next), etag(next.version));
});

export const handler = toLambda(operation);
