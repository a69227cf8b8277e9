import type { RosterEntry } from '../../../domain/entities/roster';
import { ruleViolation } from '../../../domain/errors';
import { implement, json } from '../../http/operation';
import { rosterRoutes } from '../../routes/rosters';
import { addRosterEntry, getRosterEntry, listRoster, removeRosterEntry } from '../../store/members';

/** The three rosters (managers, care staff, sellers) share their code; each operation has its own entry file. */
function rosterOperations(routes: (typeof rosterRoutes)[keyof typeof rosterRoutes]) {
  const role = routes.role;
  return {
    add: implement(routes.add, async ({ deps, tenantId, body, actor }) => {
      const managerUserId = (body as { managerUserId?: string }).managerUserId;
      if (managerUserId && !(await getRosterEntry(deps.store, tenantId, 'manager', managerUserId))) {
        throw ruleViolation('managerUserId is not on the manager roster', 'managerUserId');
      }
      const entry: RosterEntry = {
        tenantId,
        role,
        userId: body.userId,
        name: body.name,
        ...(body.email ? { email: body.email } : {}),
        ...(managerUserId ? { managerUserId } : {}),
        addedAt: deps.now().toISOString(),
        addedBy: actor,
      };
      await addRosterEntry(deps.store, entry);
      return json(201, entry);
    }),
    list: implement(routes.list, async ({ deps, tenantId, query }) => json(200, await listRoster(deps.store, tenantId, role, query))),
    remove: implement(routes.remove, async ({ deps, tenantId, params }) => {
      await removeRosterEntry(deps.store, tenantId, role, params.userId ?? '');
      return json(204);
    }),
  };
}

export const managers = rosterOperations(rosterRoutes.managers);
export const careStaff = rosterOperations(rosterRoutes.careStaff);
export const sellers = rosterOperations(rosterRoutes.sellers);
