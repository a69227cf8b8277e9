import { implement, json } from '../../http/operation';
import { rosterRoutes } from '../../routes/rosters';
import { addToRoster } from '../../services/rosters';
import { listRoster, removeRosterEntry } from '../../store/members';

/** The three rosters (managers, care staff, sellers) share their code; each operation has its own entry file. */
function rosterOperations(routes: (typeof rosterRoutes)[keyof typeof rosterRoutes]) {
  const role = routes.role;
  return {
    add: implement(routes.add, async ({ deps, tenantId, body, actor }) => json(201, await addToRoster(deps, tenantId, role, body, actor))),
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
