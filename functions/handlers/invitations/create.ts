import { acceptPath, invitationView } from '../../../domain/invitations';
import { implement, json, toLambda } from '../../http/operation';
import { invitationRoutes } from '../../routes/invitations';
import { createInvitation } from '../../services/invitations';

/** The token is in this answer only; the audit log keeps the invitation without it (nor its url). */
export const operation = implement(invitationRoutes.create, async ({ deps, tenantId, body, actor }) => {
  const { invitation, token } = await createInvitation(deps, tenantId, body, actor);
  const view = invitationView(invitation, invitation.createdAt);
  return { ...json(201, { ...view, token, url: acceptPath(token) }), audit: { after: view } };
});

export const handler = toLambda(operation);
