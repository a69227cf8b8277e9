/**
 * The key design, in one place. Every key of a business's data starts with `T#<tenantId>`, so every
 * read is tenant-scoped by construction and IAM can restrict by leading key. Entities get their own
 * partition (`T#<t>#CTV#<id>`) rather than sharing the tenant's, so one big business does not
 * become one hot partition. Key builders are pure: no clock, no randomness.
 *
 * | entity             | pk                         | sk                    | gsi1 (pk / sk)               | gsi2 (pk / sk)                 | gsi3 (pk / sk)              | gsi4 (pk / sk)            |
 * |--------------------|----------------------------|-----------------------|------------------------------|--------------------------------|-----------------------------|---------------------------|
 * | tenant             | T#t                        | TENANT                |                              |                                |                             |
 * | settings           | T#t                        | SETTINGS              |                              |                                |                             |
 * | page claim         | PAGE#<pageId lower>        | PAGE                  |                              |                                |                             |
 * | membership         | T#t                        | MEMBER#<userId>       | USER#<userId> / T#t          |                                |                             |
 * | roster entry       | T#t                        | ROSTER#<role>#<user>  | T#t#TEAM#<mgr> / STAFF#<user>|                                |                             |
 * | collaborator       | T#t#CTV#<id>               | CTV                   | T#t#CTVS / <id>              | T#t#CTVS#STATUS#<s> / <id>     | T#t#CTVS#STAFF#<u> / <id>   | T#t#CTVS#MGR#<m> / <id>   |
 * | REF ID claim       | T#t#REF#<refId>            | REF                   |                              |                                |                             |
 * | phone claim        | T#t#PHONE#<+84…>           | CTV                   |                              |                                |                             |
 * | account claim      | T#t#ACCOUNT#<sub>          | CTV                   |                              |                                |                             |                           |
 * | opportunity        | T#t#OPP#<id>               | OPP                   | T#t#OPPS / <id>              | T#t#OPPS#STATE#<s> / <id>      | T#t#OPPS#STAFF#<u> / <id>   | T#t#OPPS#MGR#<m> / <id>   |
 * | staff group        | T#t                        | STAFFGROUP#<id>       |                              |                                |                             |                           |
 * | staff group member | T#t                        | STAFFGROUPMEMBER#<u>  | T#t#GROUP#<g> / MEMBER#<u>   |                                |                             |                           |
 * | order              | T#t#ORDER#<id>             | ORDER                 | T#t#ORDERS#<yyyy-mm> / <created>#<id> | T#t#ORDERS#CTV#<c> / same | T#t#ORDERS#STAFF#<u> / same | T#t#ORDERS#MGR#<m> / same |
 * | ledger items       | T#t#ORDER#<id>             | LEDGER#<apply>#<n>    | T#t#LEDGER#<benef>#<period> / <at>#<id>#<apply>#<n> |          |                             |                           |
 * | earnings per period| T#t#EARN#<benef>           | PERIOD#<period>       |                              |                                |                             |                           |
 * | customer binding   | T#t#CUST#<+84…>            | BINDING               |                              |                                |                             |                           |
 * | closed periods     | T#t                        | PERIODS               |                              |                                |                             |                           |
 * | plan version       | T#t                        | PLAN#<version 6 digits>|                             |                                |                             |                           |
 * | webhook source     | T#t                        | SOURCE#<id>           |                              |                                |                             |                           |
 * | idempotency record | T#t#IDEM#<sub>#<key>       | IDEM                  |                              |                                |                             |
 *
 * gsi5 (pk / sk), sparse: collaborator `T#t#REFEREES#<referrerId> / <id>` (a CTV's direct referees),
 * opportunity `T#t#OPPS#CTV#<collaboratorId> / <id>` (a CTV's opportunities).
 */
import type { RosterRole } from '../../domain/entities/roster';
import type { CollaboratorStatus } from '../../domain/entities/collaborator';

export type Key = { pk: string; sk: string };

const tenantPk = (tenantId: string) => `T#${tenantId}`;

export const keys = {
  tenant: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'TENANT' }),
  settings: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'SETTINGS' }),
  pageClaim: (pageId: string): Key => ({ pk: `PAGE#${pageId.toLowerCase()}`, sk: 'PAGE' }),

  membership: (tenantId: string, userId: string): Key => ({ pk: tenantPk(tenantId), sk: `MEMBER#${userId}` }),
  membershipsOfUser: (userId: string) => ({ gsi1pk: `USER#${userId}` }),
  membershipGsi: (tenantId: string, userId: string) => ({ gsi1pk: `USER#${userId}`, gsi1sk: tenantPk(tenantId) }),

  rosterEntry: (tenantId: string, role: RosterRole, userId: string): Key => ({
    pk: tenantPk(tenantId),
    sk: `ROSTER#${role}#${userId}`,
  }),
  rosterPrefix: (tenantId: string, role: RosterRole) => ({ pk: tenantPk(tenantId), skPrefix: `ROSTER#${role}#` }),
  teamMember: (tenantId: string, managerUserId: string, staffUserId: string) => ({
    gsi1pk: `${tenantPk(tenantId)}#TEAM#${managerUserId}`,
    gsi1sk: `STAFF#${staffUserId}`,
  }),

  collaborator: (tenantId: string, id: string): Key => ({ pk: `${tenantPk(tenantId)}#CTV#${id}`, sk: 'CTV' }),
  /** a CTV's index keys: all, by status, by care staff, by the care staff's manager, by referrer (the last three sparse) */
  collaboratorIndexes: (
    tenantId: string,
    id: string,
    status: CollaboratorStatus,
    careStaffUserId?: string,
    managerUserId?: string,
    referrerId?: string,
  ) => ({
    gsi1pk: `${tenantPk(tenantId)}#CTVS`,
    gsi1sk: id,
    gsi2pk: `${tenantPk(tenantId)}#CTVS#STATUS#${status}`,
    gsi2sk: id,
    ...(careStaffUserId ? { gsi3pk: `${tenantPk(tenantId)}#CTVS#STAFF#${careStaffUserId}`, gsi3sk: id } : {}),
    ...(managerUserId ? { gsi4pk: `${tenantPk(tenantId)}#CTVS#MGR#${managerUserId}`, gsi4sk: id } : {}),
    ...(referrerId ? { gsi5pk: `${tenantPk(tenantId)}#REFEREES#${referrerId}`, gsi5sk: id } : {}),
  }),
  /** the direct referees (F1) of a CTV */
  refereesOf: (tenantId: string, referrerId: string) => ({ index: 'gsi5' as const, pk: `${tenantPk(tenantId)}#REFEREES#${referrerId}` }),
  collaboratorsByManager: (tenantId: string, managerUserId: string) => ({
    index: 'gsi4' as const,
    pk: `${tenantPk(tenantId)}#CTVS#MGR#${managerUserId}`,
  }),
  collaboratorsAll: (tenantId: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#CTVS` }),
  collaboratorsByStatus: (tenantId: string, status: CollaboratorStatus) => ({
    index: 'gsi2' as const,
    pk: `${tenantPk(tenantId)}#CTVS#STATUS#${status}`,
  }),
  collaboratorsByCareStaff: (tenantId: string, userId: string) => ({
    index: 'gsi3' as const,
    pk: `${tenantPk(tenantId)}#CTVS#STAFF#${userId}`,
  }),
  refIdClaim: (tenantId: string, refId: string): Key => ({ pk: `${tenantPk(tenantId)}#REF#${refId}`, sk: 'REF' }),
  phoneClaim: (tenantId: string, phone: string): Key => ({ pk: `${tenantPk(tenantId)}#PHONE#${phone}`, sk: 'CTV' }),
  /** the CTV record an account is linked to (one per account and business) */
  accountClaim: (tenantId: string, userId: string): Key => ({ pk: `${tenantPk(tenantId)}#ACCOUNT#${userId}`, sk: 'CTV' }),

  opportunity: (tenantId: string, id: string): Key => ({ pk: `${tenantPk(tenantId)}#OPP#${id}`, sk: 'OPP' }),
  /** an opportunity's index keys: all, by state, by care staff and their manager (sparse), by CTV */
  opportunityIndexes: (
    tenantId: string,
    id: string,
    o: { state: string; careStaffUserId?: string; managerUserId?: string; collaboratorId: string },
  ) => ({
    gsi1pk: `${tenantPk(tenantId)}#OPPS`,
    gsi1sk: id,
    gsi2pk: `${tenantPk(tenantId)}#OPPS#STATE#${o.state}`,
    gsi2sk: id,
    ...(o.careStaffUserId ? { gsi3pk: `${tenantPk(tenantId)}#OPPS#STAFF#${o.careStaffUserId}`, gsi3sk: id } : {}),
    ...(o.managerUserId ? { gsi4pk: `${tenantPk(tenantId)}#OPPS#MGR#${o.managerUserId}`, gsi4sk: id } : {}),
    gsi5pk: `${tenantPk(tenantId)}#OPPS#CTV#${o.collaboratorId}`,
    gsi5sk: id,
  }),
  opportunitiesAll: (tenantId: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#OPPS` }),
  opportunitiesByState: (tenantId: string, state: string) => ({ index: 'gsi2' as const, pk: `${tenantPk(tenantId)}#OPPS#STATE#${state}` }),
  opportunitiesByCareStaff: (tenantId: string, userId: string) => ({ index: 'gsi3' as const, pk: `${tenantPk(tenantId)}#OPPS#STAFF#${userId}` }),
  opportunitiesByManager: (tenantId: string, userId: string) => ({ index: 'gsi4' as const, pk: `${tenantPk(tenantId)}#OPPS#MGR#${userId}` }),
  opportunitiesByCollaborator: (tenantId: string, collaboratorId: string) => ({
    index: 'gsi5' as const,
    pk: `${tenantPk(tenantId)}#OPPS#CTV#${collaboratorId}`,
  }),

  staffGroup: (tenantId: string, groupId: string): Key => ({ pk: tenantPk(tenantId), sk: `STAFFGROUP#${groupId}` }),
  staffGroupsPrefix: (tenantId: string) => ({ pk: tenantPk(tenantId), skPrefix: 'STAFFGROUP#' }),
  /** keyed by the member: a care staff is in at most one group */
  staffGroupMember: (tenantId: string, userId: string): Key => ({ pk: tenantPk(tenantId), sk: `STAFFGROUPMEMBER#${userId}` }),
  staffGroupMemberIndex: (tenantId: string, groupId: string, userId: string) => ({
    gsi1pk: `${tenantPk(tenantId)}#GROUP#${groupId}`,
    gsi1sk: `MEMBER#${userId}`,
  }),
  staffGroupMembers: (tenantId: string, groupId: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#GROUP#${groupId}` }),

  webhookSource: (tenantId: string, sourceId: string): Key => ({ pk: tenantPk(tenantId), sk: `SOURCE#${sourceId}` }),
  webhookSourcesPrefix: (tenantId: string) => ({ pk: tenantPk(tenantId), skPrefix: 'SOURCE#' }),

  order: (tenantId: string, orderId: string): Key => ({ pk: `${tenantPk(tenantId)}#ORDER#${orderId}`, sk: 'ORDER' }),
  /** order lists: by month of creation (a date range reads one partition per month), by CTV, care staff, manager */
  orderIndexes: (
    tenantId: string,
    orderId: string,
    createdAt: string,
    createdMonth: string,
    who: { collaboratorId?: string | null; careStaffUserId?: string | null; managerUserId?: string | null },
  ) => {
    const sk = `${createdAt}#${orderId}`;
    const t = tenantPk(tenantId);
    return {
      gsi1pk: `${t}#ORDERS#${createdMonth}`,
      gsi1sk: sk,
      ...(who.collaboratorId ? { gsi2pk: `${t}#ORDERS#CTV#${who.collaboratorId}`, gsi2sk: sk } : {}),
      ...(who.careStaffUserId ? { gsi3pk: `${t}#ORDERS#STAFF#${who.careStaffUserId}`, gsi3sk: sk } : {}),
      ...(who.managerUserId ? { gsi4pk: `${t}#ORDERS#MGR#${who.managerUserId}`, gsi4sk: sk } : {}),
    };
  },
  ordersByMonth: (tenantId: string, month: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#ORDERS#${month}` }),
  ordersByCollaborator: (tenantId: string, id: string) => ({ index: 'gsi2' as const, pk: `${tenantPk(tenantId)}#ORDERS#CTV#${id}` }),
  ordersByCareStaff: (tenantId: string, id: string) => ({ index: 'gsi3' as const, pk: `${tenantPk(tenantId)}#ORDERS#STAFF#${id}` }),
  ordersByManager: (tenantId: string, id: string) => ({ index: 'gsi4' as const, pk: `${tenantPk(tenantId)}#ORDERS#MGR#${id}` }),

  ledgerItem: (tenantId: string, orderId: string, apply: number, n: number): Key => ({
    pk: `${tenantPk(tenantId)}#ORDER#${orderId}`,
    sk: `LEDGER#${String(apply).padStart(6, '0')}#${String(n).padStart(4, '0')}`,
  }),
  ledgerPrefix: (tenantId: string, orderId: string) => ({ pk: `${tenantPk(tenantId)}#ORDER#${orderId}`, skPrefix: 'LEDGER#' }),
  ledgerItemIndex: (tenantId: string, beneficiary: string, periodId: string, sortKey: string) => ({
    gsi1pk: `${tenantPk(tenantId)}#LEDGER#${beneficiary}#${periodId}`,
    gsi1sk: sortKey,
  }),
  ledgerOfBeneficiary: (tenantId: string, beneficiary: string, periodId: string) => ({
    index: 'gsi1' as const,
    pk: `${tenantPk(tenantId)}#LEDGER#${beneficiary}#${periodId}`,
  }),
  earnings: (tenantId: string, beneficiary: string, periodId: string): Key => ({
    pk: `${tenantPk(tenantId)}#EARN#${beneficiary}`,
    sk: `PERIOD#${periodId}`,
  }),
  customerBinding: (tenantId: string, phone: string): Key => ({ pk: `${tenantPk(tenantId)}#CUST#${phone}`, sk: 'BINDING' }),
  periods: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'PERIODS' }),
  planVersion: (tenantId: string, version: number): Key => ({ pk: tenantPk(tenantId), sk: `PLAN#${String(version).padStart(6, '0')}` }),
  planVersionsPrefix: (tenantId: string) => ({ pk: tenantPk(tenantId), skPrefix: 'PLAN#' }),

  idempotency: (scope: string, callerId: string, key: string): Key => ({
    pk: `${scope === '' ? 'GLOBAL' : tenantPk(scope)}#IDEM#${callerId}#${key}`,
    sk: 'IDEM',
  }),
};

/** Attributes that are keys, not data: stripped from items before they become domain objects. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'gsi5pk', 'gsi5sk', 'entity', 'expiresAt'];
