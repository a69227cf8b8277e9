import {
  canMoveOpportunity,
  canSeeOpportunity,
  moveOpportunity,
  newOpportunity,
  opportunityScope,
} from '../../domain/entities/opportunity';
import type { CreateOpportunityInput, MoveOpportunityInput, Opportunity, OpportunityFilter } from '../../domain/entities/opportunity';
import type { Membership } from '../../domain/entities/roster';
import { forbidden, notFound, preconditionFailed, ruleViolation } from '../../domain/errors';
import type { Deps } from '../deps';
import { createOpportunity, getOpportunity, listOpportunities, saveOpportunity } from '../store/opportunities';
import type { Page, PageRequest } from '../store/paging';
import { linkedCollaborator, tenantOfPage } from './pages';

/** Sales opportunities a CTV files on a business's page, which its care staff then work. */

/** An approved CTV of the page's business (the signed-in account's) files an opportunity. */
export async function fileOpportunity(deps: Deps, pageId: string, sub: string, input: CreateOpportunityInput): Promise<Opportunity> {
  const tenantId = await tenantOfPage(deps, pageId);
  const ctv = await linkedCollaborator(deps, tenantId, sub);
  if (!ctv) throw forbidden("Only this business's collaborators file opportunities on its page: join it first");
  if (ctv.status !== 'approved') throw ruleViolation(`Only approved collaborators file opportunities; yours is ${ctv.status}`, 'status');
  const opp = newOpportunity({ id: deps.newId(), tenantId, collaborator: { ...ctv, userId: sub }, input, at: deps.now().toISOString() });
  await createOpportunity(deps.store, opp);
  return opp;
}

/** An opportunity the caller may see, or the same 404 as one that does not exist. */
export async function visibleOpportunity(
  deps: Deps,
  tenantId: string,
  opportunityId: string,
  membership: Membership,
): Promise<Opportunity> {
  const opp = await getOpportunity(deps.store, tenantId, opportunityId);
  if (!opp || !canSeeOpportunity(membership, opp)) throw notFound('Opportunity');
  return opp;
}

const NONE: Page<Opportunity> = { items: [], nextCursor: null };

/** One page of the opportunities a member may see: their own scope narrows whatever filter they ask for. */
export async function opportunitiesFor(
  deps: Deps,
  tenantId: string,
  membership: Membership,
  filter: OpportunityFilter,
  page: PageRequest,
): Promise<Page<Opportunity>> {
  const scope = opportunityScope(membership);
  if (scope.kind === 'manager') return listOpportunities(deps.store, tenantId, { ...filter, managerUserId: scope.managerUserId }, page);
  if (scope.kind === 'care_staff') {
    if (filter.careStaffUserId && filter.careStaffUserId !== scope.careStaffUserId) return NONE;
    return listOpportunities(deps.store, tenantId, { ...filter, careStaffUserId: scope.careStaffUserId }, page);
  }
  if (scope.kind === 'collaborator') {
    const ctv = await linkedCollaborator(deps, tenantId, membership.userId);
    if (!ctv || (filter.collaboratorId && filter.collaboratorId !== ctv.id)) return NONE;
    return listOpportunities(deps.store, tenantId, { ...filter, collaboratorId: ctv.id }, page);
  }
  return listOpportunities(deps.store, tenantId, filter, page);
}

/** Move an opportunity (its care staff, their manager or the owner) over the version read (else 412). */
export async function moveOpportunityAs(
  deps: Deps,
  tenantId: string,
  opportunityId: string,
  membership: Membership,
  expectedVersion: number,
  move: Omit<MoveOpportunityInput, 'version'>,
  actor: string,
): Promise<Opportunity> {
  const opp = await visibleOpportunity(deps, tenantId, opportunityId, membership);
  if (!canMoveOpportunity(membership, opp)) throw forbidden('Only the assigned care staff, their manager or the owner move an opportunity');
  if (opp.version !== expectedVersion) throw preconditionFailed();
  const next = moveOpportunity(opp, move, deps.now().toISOString(), actor);
  await saveOpportunity(deps.store, next);
  return next;
}
