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
 * | idempotency record | T#t#IDEM#<sub>#<key>       | IDEM                  |                              |                                |                             |
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
  /** a CTV's index keys: all, by status, by care staff, by the care staff's manager (sparse when unassigned) */
  collaboratorIndexes: (
    tenantId: string,
    id: string,
    status: CollaboratorStatus,
    careStaffUserId?: string,
    managerUserId?: string,
  ) => ({
    gsi1pk: `${tenantPk(tenantId)}#CTVS`,
    gsi1sk: id,
    gsi2pk: `${tenantPk(tenantId)}#CTVS#STATUS#${status}`,
    gsi2sk: id,
    ...(careStaffUserId ? { gsi3pk: `${tenantPk(tenantId)}#CTVS#STAFF#${careStaffUserId}`, gsi3sk: id } : {}),
    ...(managerUserId ? { gsi4pk: `${tenantPk(tenantId)}#CTVS#MGR#${managerUserId}`, gsi4sk: id } : {}),
  }),
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

  idempotency: (scope: string, callerId: string, key: string): Key => ({
    pk: `${scope === '' ? 'GLOBAL' : tenantPk(scope)}#IDEM#${callerId}#${key}`,
    sk: 'IDEM',
  }),
};

/** Attributes that are keys, not data: stripped from items before they become domain objects. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'entity', 'expiresAt'];
