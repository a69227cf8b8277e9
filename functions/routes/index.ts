import { collaboratorRoutes } from './collaborators';
import { rosterRoutes } from './rosters';
import type { Route } from './route';
import { systemRoutes } from './system';
import { tenantRoutes } from './tenants';

/** The route table: every operation of the API, once. CDK, the local server and OpenAPI read this. */
export const ROUTES: Route<any, any>[] = [
  ...Object.values(systemRoutes),
  ...Object.values(tenantRoutes),
  ...Object.values(rosterRoutes).flatMap((r) => [r.add, r.list, r.remove]),
  ...Object.values(collaboratorRoutes),
];
