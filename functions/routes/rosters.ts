import type * as z from 'zod';
import { AddCareStaffInput, AddManagerInput, AddSellerInput, RosterEntryView, type RosterRole } from '../../domain/entities/roster';
import { OWNER, PageQuery, pageOf, route, STAFF } from './route';

const RosterPage = pageOf(RosterEntryView, 'RosterPage');

/** The three rosters have the same operations; the path segment names the role. */
function rosterRoutesFor<B>(role: RosterRole, segment: string, body: z.ZodType<B>, label: string) {
  const base = `/v1/tenants/{tenantId}/${segment}`;
  const file = (op: string) => `functions/handlers/rosters/${segment}-${op}.ts`;
  const name = segment.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase());
  return {
    add: route({
      id: `add${name}`,
      method: 'POST',
      path: base,
      handler: file('add'),
      auth: 'jwt',
      roles: OWNER,
      table: 'write',
      body,
      idempotent: true,
      summary: `Add an account to the ${label} roster`,
      tag: 'rosters',
      responses: { 201: RosterEntryView },
    }),
    list: route({
      id: `list${name}`,
      method: 'GET',
      path: base,
      handler: file('list'),
      auth: 'jwt',
      roles: STAFF,
      table: 'read',
      query: PageQuery,
      summary: `List the ${label} roster`,
      tag: 'rosters',
      responses: { 200: RosterPage },
    }),
    remove: route({
      id: `remove${name}`,
      method: 'DELETE',
      path: `${base}/{userId}`,
      handler: file('remove'),
      auth: 'jwt',
      roles: OWNER,
      table: 'write',
      summary: `Remove an account from the ${label} roster (a care staff: only once no CTV is assigned to them, else 409; they leave their staff group too)`,
      tag: 'rosters',
      // a care staff who still has CTVs assigned
      errors: [409],
      responses: { 204: null },
    }),
    role,
  };
}

export const rosterRoutes = {
  managers: rosterRoutesFor('manager', 'managers', AddManagerInput, 'manager (manager report)'),
  careStaff: rosterRoutesFor('care_staff', 'care-staff', AddCareStaffInput, 'care staff (staff report)'),
  sellers: rosterRoutesFor('seller', 'sellers', AddSellerInput, 'seller'),
};
