import { implement, json, toLambda, type Reply } from '../../http/operation';
import { invitationRoutes } from '../../routes/invitations';
import { acceptInvitation } from '../../services/invitations';

/** 410 with a problem body: the invitation exists but will never work again. */
const gone = (detail: string): Reply => ({
  status: 410,
  body: { type: 'urn:ctv-cloud:problem:gone', title: 'Gone', status: 410, detail },
  headers: { 'content-type': 'application/problem+json' },
});

export const operation = implement(invitationRoutes.accept, async ({ deps, params, caller }) => {
  const result = await acceptInvitation(deps, params.token ?? '', caller!);
  switch (result.outcome) {
    case 'joined':
      return json(201, result.entry);
    case 'revoked':
      return gone('This invitation was revoked; ask the owner for a new one');
    case 'expired':
      return gone('This invitation has expired; ask the owner for a new one');
  }
});

export const handler = toLambda(operation);
