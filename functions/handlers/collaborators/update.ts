import { collaboratorSeenBy } from '../../../domain/access';
import { updateProfile, type CollaboratorChange } from '../../../domain/entities/collaborator';
import { implement, json, toLambda } from '../../http/operation';
import { etag } from '../../http/versions';
import { collaboratorRoutes } from '../../routes/collaborators';
import { changeCollaborator, withReferrer } from '../../services/collaborators';

export const operation = implement(collaboratorRoutes.update, async ({ deps, tenantId, params, membership, headers, body, actor }) => {
  const { version, referrerRefId, ...profile } = body;
  // each kind of change is authorised on its own: care staff may edit contact details, not levels or referrers
  const changes: CollaboratorChange[] = [];
  if (['name', 'email', 'bank', 'note'].some((f) => f in profile)) changes.push('update');
  if (profile.level !== undefined) changes.push('level');
  if (referrerRefId !== undefined) changes.push('referrer');
  const next = await changeCollaborator(
    deps,
    { tenantId, collaboratorId: params.collaboratorId ?? '', membership: membership!, headers, bodyVersion: version },
    changes,
    async (ctv, at) => {
      const updated = updateProfile(ctv, profile, at, actor);
      if (referrerRefId === undefined) return { next: updated };
      // the referrer change builds on the profile change: one version step for the whole PATCH
      const moved = await withReferrer(deps, tenantId, { ...updated, version: ctv.version }, referrerRefId, at, actor);
      return { next: { ...moved.next, version: updated.version }, upline: moved.upline };
    },
  );
  return json(200, collaboratorSeenBy(membership!, next), etag(next.version));
});

export const handler = toLambda(operation);
