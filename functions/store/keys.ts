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
 * | businesses owned   | USER#<userId>              | OWNED                 |                              |                                |                             |
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
 * | voucher/adjustment | T#t#VOUCHER#<id>           | VOUCHER (+ LEDGER#…)  | T#t#VOUCHERS#<kind> / <id>   |                                |                             |                           |
 * | closed periods     | T#t                        | PERIODS               |                              |                                |                             |                           |
 * | plan version       | T#t                        | PLAN#<version 6 digits>|                             |                                |                             |                           |
 * | webhook source     | T#t                        | SOURCE#<id>           |                              |                                |                             |                           |
 * | idempotency record | T#t#IDEM#<sub>#<key>       | IDEM                  |                              |                                |                             |
 * | KPI plan (latest)  | T#t                        | KPIPLAN#<planId>      |                              |                                |                             |                           |
 * | KPI plan version   | T#t                        | KPIVER#<planId>#<v 6> |                              |                                |                             |                           |
 * | KPI assignment     | T#t                        | KPIASSIGN#<id>        |                              |                                |                             |                           |
 * | KPI counters       | T#t#KPI#<staff>#<period>   | COUNTERS              |                              |                                |                             |                           |
 * | KPI CTV orders     | T#t#KPI#<staff>#<period>   | CTV#<collaboratorId>  |                              |                                |                             |                           |
 * | CSAT counters      | T#t#CSAT#<manager>         | P#<period>            |                              |                                |                             |                           |
 * | stars per CTV      | T#t#STARS#<collaboratorId> | P#<period>            |                              |                                |                             |                           |
 * | order feedback     | T#t#ORDER#<id>             | FEEDBACK              | T#t#RATINGS#CTV#<c> / <ratedAt UTC>#<orderId> | T#t#RATINGS#MGR#<m> / same |              |                           |
 * | feedback link      | FBLINK#<sha256(token)>     | LINK                  |                              |                                |                             |                           |
 * | OKR objective      | T#t#OBJ#<id>               | OBJ                   | T#t#OKRS#<period> / <manager>#<id> |                          |                             |                           |
 *
 * KPI counters are one partition per (care staff, period of each cycle): the counters item (ADD
 * only) and one item per CTV holding that CTV's approved-order count, so the active-CTV count is a
 * Query of that one small partition (items with n > 0). Ratings: one per order; the customer's
 * one-time link is keyed by the hash of its token (a table dump does not reveal usable links).
 *
 * gsi5 (pk / sk), sparse: collaborator `T#t#REFEREES#<referrerId> / <id>` (a CTV's direct referees),
 * opportunity `T#t#OPPS#CTV#<collaboratorId> / <id>` (a CTV's opportunities), order
 * `T#t#APPROVED#CTV#<collaboratorId> / <approvedAt UTC>#<id>` (a credited order once approved: a
 * period's volume, whenever the order was created).
 *
 * Periods, statements, payouts, the nightly run and the audit log (issue 7):
 *
 * | entity               | pk                               | sk                              | gsi1 (pk / sk)                         | gsi2 (pk / sk)              |
 * |----------------------|----------------------------------|---------------------------------|----------------------------------------|-----------------------------|
 * | period record        | T#t                              | PERIOD#<month>                  |                                        |                             |
 * | period facts (close) | T#t#PFACTS#<month>               | <ctvId>                         |                                        |                             |
 * | period-level ledger  | T#t#PLEDGER#<month>              | <benef>#<apply>#<n>             | T#t#LEDGER#<benef>#<month> / <at>#P#…  |                             |
 * | statement            | T#t#STMT#<ctvId>                 | HEAD#<month>                    | T#t#STMTS#<month> / <ctvId>            | T#t#BATCH#<batch> / <ctvId> |
 * | statement lines      | T#t#STMT#<ctvId>                 | LINES#<month>#<rev>#<n>, PENDING#…|                                        |                             |
 * | dispute              | T#t#STMT#<ctvId>                 | DISPUTE#<month>#<id>            | T#t#DISPUTES#<status> / <at>#<id>      |                             |
 * | dispute adjustment   | T#t#STMT#<ctvId>                 | DLEDGER#<disputeId>#<n>         | T#t#LEDGER#<benef>#<month> / …         |                             |
 * | payout batch         | T#t                              | PAYOUT#<batchId>                |                                        |                             |
 * | CTV snapshot         | T#t#SNAP#<month>                 | CTV#<ctvId>                     |                                        |                             |
 * | KPI / OKR snapshot   | T#t#SNAP#<month>                 | KPI / OKR                       |                                        |                             |
 * | job                  | T#t#JOB#<jobId>                  | JOB / UNIT#<phase>#<n>          | T#t#JOBS / <createdAt>#<jobId> (JOB)   |                             |
 * | nightly state        | T#t                              | NIGHTLY                         |                                        |                             |
 * | change marker (TTL)  | T#t#CHANGES#<utc day>#<shard>    | CTV#<ctvId>                     |                                        |                             |
 * | audit entry          | T#t#AUDIT                        | <at>#<id>                       |                                        |                             |
 * | tenant (registry)    | T#t                              | TENANT                          | TENANTS / <tenantId> (scheduler)       |                             |
 * | webhook delivery     | T#t#DLV#<deliveryId>             | DLV                             | T#t#DLVS#<status> / <at>#<id>          | T#t#DLVS#SRC#<src>#<status> / <at>#<id> |
 *   (while `accepted`, also gsi3 `DLVS#ACCEPTED / <at>#<tenantId>#<id>`: the sweep finds deliveries a crash left waiting, across businesses)
 *
 * Closed periods stay closed (issue 15):
 *
 * | entity                      | pk                           | sk                               |
 * |-----------------------------|------------------------------|----------------------------------|
 * | an order's returns, dated   | T#t#ORDER#<id>               | KPIRETURNS                       |
 * | CTV moved away (stock note) | T#t#CTVMOVES#<careStaff>     | <at>#<ctvId>                     |
 * | frozen results of a period  | T#t#FROZEN#<period>          | HEAD / STAFF#<user> / MANAGER#<user> |
 */
import type { RosterRole } from '../../domain/entities/roster';
import type { CollaboratorStatus } from '../../domain/entities/collaborator';

export type Key = { pk: string; sk: string };

const tenantPk = (tenantId: string) => `T#${tenantId}`;

export const keys = {
  tenant: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'TENANT' }),
  settings: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'SETTINGS' }),
  pageClaim: (pageId: string): Key => ({ pk: `PAGE#${pageId.toLowerCase()}`, sk: 'PAGE' }),
  /** how many businesses an account created (owns): the counter that caps it, written with each new business */
  ownedBusinesses: (userId: string): Key => ({ pk: `USER#${userId}`, sk: 'OWNED' }),

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
    /** the order's approval (any offset): a credited, approved order is also indexed by it, in UTC */
    approvedAt?: string | null,
  ) => {
    const sk = `${createdAt}#${orderId}`;
    const t = tenantPk(tenantId);
    const approvedUtc = approvedAt ? new Date(Date.parse(approvedAt)).toISOString() : null;
    return {
      gsi1pk: `${t}#ORDERS#${createdMonth}`,
      gsi1sk: sk,
      ...(who.collaboratorId ? { gsi2pk: `${t}#ORDERS#CTV#${who.collaboratorId}`, gsi2sk: sk } : {}),
      ...(who.careStaffUserId ? { gsi3pk: `${t}#ORDERS#STAFF#${who.careStaffUserId}`, gsi3sk: sk } : {}),
      ...(who.managerUserId ? { gsi4pk: `${t}#ORDERS#MGR#${who.managerUserId}`, gsi4sk: sk } : {}),
      ...(who.collaboratorId && approvedUtc ? { gsi5pk: `${t}#APPROVED#CTV#${who.collaboratorId}`, gsi5sk: `${approvedUtc}#${orderId}` } : {}),
    };
  },
  ordersByMonth: (tenantId: string, month: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#ORDERS#${month}` }),
  ordersByCollaborator: (tenantId: string, id: string) => ({ index: 'gsi2' as const, pk: `${tenantPk(tenantId)}#ORDERS#CTV#${id}` }),
  ordersByCareStaff: (tenantId: string, id: string) => ({ index: 'gsi3' as const, pk: `${tenantPk(tenantId)}#ORDERS#STAFF#${id}` }),
  ordersByManager: (tenantId: string, id: string) => ({ index: 'gsi4' as const, pk: `${tenantPk(tenantId)}#ORDERS#MGR#${id}` }),
  /** a CTV's credited orders by approval (UTC ISO): a period's volume is one range, however old the orders */
  ordersApprovedByCollaborator: (tenantId: string, id: string) => ({ index: 'gsi5' as const, pk: `${tenantPk(tenantId)}#APPROVED#CTV#${id}` }),

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
  voucher: (tenantId: string, id: string): Key => ({ pk: `${tenantPk(tenantId)}#VOUCHER#${id}`, sk: 'VOUCHER' }),
  voucherIndex: (tenantId: string, kind: string, id: string) => ({ gsi1pk: `${tenantPk(tenantId)}#VOUCHERS#${kind}`, gsi1sk: id }),
  vouchersOfKind: (tenantId: string, kind: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#VOUCHERS#${kind}` }),
  voucherLedgerItem: (tenantId: string, id: string, apply: number, n: number): Key => ({
    pk: `${tenantPk(tenantId)}#VOUCHER#${id}`,
    sk: `LEDGER#${String(apply).padStart(6, '0')}#${String(n).padStart(4, '0')}`,
  }),
  voucherLedgerPrefix: (tenantId: string, id: string) => ({ pk: `${tenantPk(tenantId)}#VOUCHER#${id}`, skPrefix: 'LEDGER#' }),
  periods: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'PERIODS' }),
  planVersion: (tenantId: string, version: number): Key => ({ pk: tenantPk(tenantId), sk: `PLAN#${String(version).padStart(6, '0')}` }),
  planVersionsPrefix: (tenantId: string) => ({ pk: tenantPk(tenantId), skPrefix: 'PLAN#' }),

  kpiPlan: (tenantId: string, planId: string): Key => ({ pk: tenantPk(tenantId), sk: `KPIPLAN#${planId}` }),
  kpiPlansPrefix: (tenantId: string) => ({ pk: tenantPk(tenantId), skPrefix: 'KPIPLAN#' }),
  kpiPlanVersion: (tenantId: string, planId: string, version: number): Key => ({
    pk: tenantPk(tenantId),
    sk: `KPIVER#${planId}#${String(version).padStart(6, '0')}`,
  }),
  /** every version of every KPI plan (`KPIVER#`), or of one plan (`KPIVER#<planId>#`) */
  kpiPlanVersionsPrefix: (tenantId: string, planId?: string) => ({ pk: tenantPk(tenantId), skPrefix: planId ? `KPIVER#${planId}#` : 'KPIVER#' }),
  kpiAssignment: (tenantId: string, id: string): Key => ({ pk: tenantPk(tenantId), sk: `KPIASSIGN#${id}` }),
  kpiAssignmentsPrefix: (tenantId: string) => ({ pk: tenantPk(tenantId), skPrefix: 'KPIASSIGN#' }),
  /** one partition per (care staff, period): the counters and the per-CTV approved-order counts */
  kpiPartition: (tenantId: string, staffUserId: string, periodId: string) => `${tenantPk(tenantId)}#KPI#${staffUserId}#${periodId}`,
  kpiCounters: (tenantId: string, staffUserId: string, periodId: string): Key => ({
    pk: `${tenantPk(tenantId)}#KPI#${staffUserId}#${periodId}`,
    sk: 'COUNTERS',
  }),
  kpiCollaboratorOrders: (tenantId: string, staffUserId: string, periodId: string, collaboratorId: string): Key => ({
    pk: `${tenantPk(tenantId)}#KPI#${staffUserId}#${periodId}`,
    sk: `CTV#${collaboratorId}`,
  }),
  csatCounters: (tenantId: string, managerUserId: string, periodId: string): Key => ({
    pk: `${tenantPk(tenantId)}#CSAT#${managerUserId}`,
    sk: `P#${periodId}`,
  }),
  /** ratings count and stars sum of a CTV's orders per period (for average stars) */
  starsCounters: (tenantId: string, collaboratorId: string, periodId: string): Key => ({
    pk: `${tenantPk(tenantId)}#STARS#${collaboratorId}`,
    sk: `P#${periodId}`,
  }),
  feedback: (tenantId: string, orderId: string): Key => ({ pk: `${tenantPk(tenantId)}#ORDER#${orderId}`, sk: 'FEEDBACK' }),
  /** a rating's index keys: by CTV and by manager, sorted by ratedAt (UTC ISO), so a period is a range */
  feedbackIndexes: (tenantId: string, orderId: string, ratedAtUtc: string, who: { collaboratorId: string | null; managerUserId: string | null }) => ({
    ...(who.collaboratorId ? { gsi1pk: `${tenantPk(tenantId)}#RATINGS#CTV#${who.collaboratorId}`, gsi1sk: `${ratedAtUtc}#${orderId}` } : {}),
    ...(who.managerUserId ? { gsi2pk: `${tenantPk(tenantId)}#RATINGS#MGR#${who.managerUserId}`, gsi2sk: `${ratedAtUtc}#${orderId}` } : {}),
  }),
  ratingsOfCollaborator: (tenantId: string, collaboratorId: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#RATINGS#CTV#${collaboratorId}` }),
  ratingsOfManager: (tenantId: string, managerUserId: string) => ({ index: 'gsi2' as const, pk: `${tenantPk(tenantId)}#RATINGS#MGR#${managerUserId}` }),
  /** public: the path carries only the token, so the key is the token's hash (not tenant-prefixed) */
  feedbackLink: (tokenHash: string): Key => ({ pk: `FBLINK#${tokenHash}`, sk: 'LINK' }),

  objective: (tenantId: string, objectiveId: string): Key => ({ pk: `${tenantPk(tenantId)}#OBJ#${objectiveId}`, sk: 'OBJ' }),
  objectiveIndex: (tenantId: string, periodId: string, managerUserId: string, objectiveId: string) => ({
    gsi1pk: `${tenantPk(tenantId)}#OKRS#${periodId}`,
    gsi1sk: `${managerUserId}#${objectiveId}`,
  }),
  /** objectives of a period (all managers), or of one manager with skPrefix `<manager>#` */
  objectivesOfPeriod: (tenantId: string, periodId: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#OKRS#${periodId}` }),

  // --- periods, statements, payouts, the nightly run, the audit log (issue 7) ---
  periodRecord: (tenantId: string, month: string): Key => ({ pk: tenantPk(tenantId), sk: `PERIOD#${month}` }),
  periodRecordsPrefix: (tenantId: string) => ({ pk: tenantPk(tenantId), skPrefix: 'PERIOD#' }),
  /** each CTV's volume and ratings of the periods a month's close settles, frozen at the close */
  periodFacts: (tenantId: string, month: string, collaboratorId: string): Key => ({
    pk: `${tenantPk(tenantId)}#PFACTS#${month}`,
    sk: collaboratorId,
  }),
  periodFactsOf: (tenantId: string, month: string) => ({ pk: `${tenantPk(tenantId)}#PFACTS#${month}` }),
  /** the period-level ledger lines (awards, referral) booked by a month's close: one partition per month */
  periodLedgerItem: (tenantId: string, month: string, beneficiary: string, apply: number, n: number): Key => ({
    pk: `${tenantPk(tenantId)}#PLEDGER#${month}`,
    sk: `${beneficiary}#${String(apply).padStart(6, '0')}#${String(n).padStart(4, '0')}`,
  }),
  periodLedgerOf: (tenantId: string, month: string) => ({ pk: `${tenantPk(tenantId)}#PLEDGER#${month}` }),
  statement: (tenantId: string, collaboratorId: string, month: string): Key => ({
    pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`,
    sk: `HEAD#${month}`,
  }),
  statementsOfCollaborator: (tenantId: string, collaboratorId: string) => ({ pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`, skPrefix: 'HEAD#' }),
  /** a statement's settled lines or carried pending entries, in chunks; `rev` names one computation */
  statementPart: (tenantId: string, collaboratorId: string, month: string, part: 'LINES' | 'PENDING', rev: string, n: number): Key => ({
    pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`,
    sk: `${part}#${month}#${rev}#${String(n).padStart(4, '0')}`,
  }),
  statementPartPrefix: (tenantId: string, collaboratorId: string, month: string, part: 'LINES' | 'PENDING', rev: string) => ({
    pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`,
    skPrefix: `${part}#${month}#${rev}#`,
  }),
  /** the ledger item of a dispute's adjustment */
  disputeLedgerItem: (tenantId: string, collaboratorId: string, disputeId: string, n: number): Key => ({
    pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`,
    sk: `DLEDGER#${disputeId}#${String(n).padStart(4, '0')}`,
  }),
  statementIndexes: (tenantId: string, month: string, collaboratorId: string, batchId?: string) => ({
    gsi1pk: `${tenantPk(tenantId)}#STMTS#${month}`,
    gsi1sk: collaboratorId,
    ...(batchId ? { gsi2pk: `${tenantPk(tenantId)}#BATCH#${batchId}`, gsi2sk: collaboratorId } : {}),
  }),
  statementBatchIndex: (tenantId: string, batchId: string, collaboratorId: string) => ({
    gsi2pk: `${tenantPk(tenantId)}#BATCH#${batchId}`,
    gsi2sk: collaboratorId,
  }),
  statementsOfMonth: (tenantId: string, month: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#STMTS#${month}` }),
  statementsOfBatch: (tenantId: string, batchId: string) => ({ index: 'gsi2' as const, pk: `${tenantPk(tenantId)}#BATCH#${batchId}` }),
  dispute: (tenantId: string, collaboratorId: string, month: string, disputeId: string): Key => ({
    pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`,
    sk: `DISPUTE#${month}#${disputeId}`,
  }),
  disputesOfStatement: (tenantId: string, collaboratorId: string, month: string) => ({
    pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`,
    skPrefix: `DISPUTE#${month}#`,
  }),
  disputesOfCollaborator: (tenantId: string, collaboratorId: string) => ({ pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`, skPrefix: 'DISPUTE#' }),
  disputeIndex: (tenantId: string, status: string, openedAt: string, disputeId: string) => ({
    gsi1pk: `${tenantPk(tenantId)}#DISPUTES#${status}`,
    gsi1sk: `${openedAt}#${disputeId}`,
  }),
  disputesByStatus: (tenantId: string, status: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#DISPUTES#${status}` }),
  payout: (tenantId: string, batchId: string): Key => ({ pk: tenantPk(tenantId), sk: `PAYOUT#${batchId}` }),
  payoutsPrefix: (tenantId: string) => ({ pk: tenantPk(tenantId), skPrefix: 'PAYOUT#' }),
  snapshot: (tenantId: string, month: string, collaboratorId: string): Key => ({
    pk: `${tenantPk(tenantId)}#SNAP#${month}`,
    sk: `CTV#${collaboratorId}`,
  }),
  snapshotsOf: (tenantId: string, month: string) => ({ pk: `${tenantPk(tenantId)}#SNAP#${month}`, skPrefix: 'CTV#' }),
  staffSnapshot: (tenantId: string, month: string, kind: 'KPI' | 'OKR'): Key => ({ pk: `${tenantPk(tenantId)}#SNAP#${month}`, sk: kind }),
  job: (tenantId: string, jobId: string): Key => ({ pk: `${tenantPk(tenantId)}#JOB#${jobId}`, sk: 'JOB' }),
  jobUnit: (tenantId: string, jobId: string, phase: number, n: number): Key => ({
    pk: `${tenantPk(tenantId)}#JOB#${jobId}`,
    sk: `UNIT#${String(phase).padStart(3, '0')}#${String(n).padStart(5, '0')}`,
  }),
  jobUnitsPrefix: (tenantId: string, jobId: string, phase: number) => ({
    pk: `${tenantPk(tenantId)}#JOB#${jobId}`,
    skPrefix: `UNIT#${String(phase).padStart(3, '0')}#`,
  }),
  jobIndex: (tenantId: string, createdAt: string, jobId: string) => ({ gsi1pk: `${tenantPk(tenantId)}#JOBS`, gsi1sk: `${createdAt}#${jobId}` }),
  jobsOf: (tenantId: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#JOBS` }),

  /** one stored webhook delivery (raw body, status); listed by status, and by source and status */
  delivery: (tenantId: string, deliveryId: string): Key => ({ pk: `${tenantPk(tenantId)}#DLV#${deliveryId}`, sk: 'DLV' }),
  deliveryIndexes: (tenantId: string, sourceId: string, status: string, receivedAt: string, deliveryId: string) => ({
    gsi1pk: `${tenantPk(tenantId)}#DLVS#${status}`,
    gsi1sk: `${receivedAt}#${deliveryId}`,
    gsi2pk: `${tenantPk(tenantId)}#DLVS#SRC#${sourceId}#${status}`,
    gsi2sk: `${receivedAt}#${deliveryId}`,
  }),
  deliveriesByStatus: (tenantId: string, status: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#DLVS#${status}` }),
  deliveriesOfSource: (tenantId: string, sourceId: string, status: string) => ({ index: 'gsi2' as const, pk: `${tenantPk(tenantId)}#DLVS#SRC#${sourceId}#${status}` }),
  /** sparse, across businesses: the deliveries still waiting (status accepted), oldest first */
  waitingDeliveryIndex: (tenantId: string, receivedAt: string, deliveryId: string) => ({ gsi3pk: 'DLVS#ACCEPTED', gsi3sk: `${receivedAt}#${tenantId}#${deliveryId}` }),
  waitingDeliveries: () => ({ index: 'gsi3' as const, pk: 'DLVS#ACCEPTED' }),
  nightlyState: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'NIGHTLY' }),
  /** "changed since": one small item per (UTC day, shard, CTV), written with the change; TTL */
  changeMarker: (tenantId: string, day: string, shard: string, collaboratorId: string): Key => ({
    pk: `${tenantPk(tenantId)}#CHANGES#${day}#${shard}`,
    sk: `CTV#${collaboratorId}`,
  }),
  changeMarkersOf: (tenantId: string, day: string, shard: string) => ({ pk: `${tenantPk(tenantId)}#CHANGES#${day}#${shard}`, skPrefix: 'CTV#' }),
  /**
   * The nightly schedule's list of businesses: GSI1 `TENANTS / <tenantId>` on the tenant item (the
   * one cross-tenant read, by the scheduler only). Set by the tenant's creation (see README).
   */
  tenantRegistry: (tenantId: string) => ({ gsi1pk: 'TENANTS', gsi1sk: tenantId }),
  tenantsAll: () => ({ index: 'gsi1' as const, pk: 'TENANTS' }),
  auditEntry: (tenantId: string, at: string, id: string): Key => ({ pk: `${tenantPk(tenantId)}#AUDIT`, sk: `${at}#${id}` }),
  auditOf: (tenantId: string) => ({ pk: `${tenantPk(tenantId)}#AUDIT` }),

  // --- frozen results of a close; the KPI facts that make them as of a cut-off (issue 15) ---
  /** each return of an order with its own time and R (the KPI counters date every return at its time) */
  orderKpiReturns: (tenantId: string, orderId: string): Key => ({ pk: `${tenantPk(tenantId)}#ORDER#${orderId}`, sk: 'KPIRETURNS' }),
  /** a note that a CTV left a care staff at a time: the stock of a past cut-off still finds it */
  careStaffMove: (tenantId: string, fromCareStaffUserId: string, at: string, collaboratorId: string): Key => ({
    pk: `${tenantPk(tenantId)}#CTVMOVES#${fromCareStaffUserId}`,
    sk: `${at}#${collaboratorId}`,
  }),
  careStaffMovesOf: (tenantId: string, fromCareStaffUserId: string) => ({ pk: `${tenantPk(tenantId)}#CTVMOVES#${fromCareStaffUserId}` }),
  /** the results a close froze for one period: `HEAD` (written last), `STAFF#<user>`, `MANAGER#<user>` */
  frozenResultsHead: (tenantId: string, periodId: string): Key => ({ pk: `${tenantPk(tenantId)}#FROZEN#${periodId}`, sk: 'HEAD' }),
  frozenResult: (tenantId: string, periodId: string, kind: 'STAFF' | 'MANAGER', userId: string): Key => ({
    pk: `${tenantPk(tenantId)}#FROZEN#${periodId}`,
    sk: `${kind}#${userId}`,
  }),
  frozenResultsOf: (tenantId: string, periodId: string, kind: 'STAFF' | 'MANAGER') => ({ pk: `${tenantPk(tenantId)}#FROZEN#${periodId}`, skPrefix: `${kind}#` }),

  idempotency: (scope: string, callerId: string, key: string): Key => ({
    pk: `${scope === '' ? 'GLOBAL' : tenantPk(scope)}#IDEM#${callerId}#${key}`,
    sk: 'IDEM',
  }),
};

/** Attributes that are keys, not data: stripped from items before they become domain objects. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'gsi5pk', 'gsi5sk', 'entity', 'expiresAt'];
