import {
  newCollaborator,
  type Collaborator,
  type CollaboratorStatus,
  type CreateCollaboratorInput,
} from '../../domain/entities/collaborator';
import { conflict, ruleViolation } from '../../domain/errors';
import { refIdFor } from '../../domain/ids';
import type { Deps } from '../http/deps';
import { createCollaborator, getCollaboratorIdByRefId } from '../store/collaborators';
import { getRosterEntry } from '../store/members';

/** A fresh REF ID collides rarely (30^5 per name prefix); a few tries make it certain in practice. */
const REF_ID_ATTEMPTS = 5;

export type AddOutcome = { created: true; collaborator: Collaborator } | { created: false; existingId: string | null };

/**
 * Add a CTV: check the care staff is on the roster (and take their manager), resolve the
 * referrer's REF ID, then store with a fresh REF ID; a taken phone is reported, not overwritten.
 */
export async function addCollaborator(
  deps: Deps,
  tenantId: string,
  input: CreateCollaboratorInput,
  how: { status: CollaboratorStatus; source: Collaborator['source']; actor: string },
): Promise<AddOutcome> {
  let managerUserId: string | undefined;
  if (input.careStaffUserId) {
    const staff = await getRosterEntry(deps.store, tenantId, 'care_staff', input.careStaffUserId);
    if (!staff) throw ruleViolation('careStaffUserId is not on the care staff roster', 'careStaffUserId');
    managerUserId = staff.managerUserId;
  }
  let referrerId: string | undefined;
  if (input.referrerRefId) {
    referrerId = (await getCollaboratorIdByRefId(deps.store, tenantId, input.referrerRefId)) ?? undefined;
    if (!referrerId) throw ruleViolation('No collaborator of this business has this REF ID', 'referrerRefId');
  }
  const id = deps.newId();
  for (let attempt = 0; attempt < REF_ID_ATTEMPTS; attempt++) {
    const collaborator = newCollaborator({
      id,
      tenantId,
      refId: refIdFor(input.name, deps.random(5)),
      input,
      status: how.status,
      source: how.source,
      careStaffUserId: input.careStaffUserId,
      managerUserId,
      referrerId,
      at: deps.now().toISOString(),
      by: how.actor,
    });
    const outcome = await createCollaborator(deps.store, collaborator);
    if (outcome.ok) return { created: true, collaborator };
    if (outcome.reason === 'phone_taken') return { created: false, existingId: outcome.existingId };
  }
  throw conflict('Could not find a free REF ID; please retry');
}
