/**
 * The key design, in one place: every key builder of the single table, pure (no clock, no
 * randomness), known to functions/store/ alone. Entities, keys, access patterns: docs/data-model.md.
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
  /** how many CTVs a care staff looks after: kept by every write that gives or takes one, checked by their removal */
  careStaffLoad: (tenantId: string, staffUserId: string): Key => ({ pk: tenantPk(tenantId), sk: `CARELOAD#${staffUserId}` }),
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
  opportunitiesByCareStaff: (tenantId: string, userId: string) => ({
    index: 'gsi3' as const,
    pk: `${tenantPk(tenantId)}#OPPS#STAFF#${userId}`,
  }),
  opportunitiesByManager: (tenantId: string, userId: string) => ({
    index: 'gsi4' as const,
    pk: `${tenantPk(tenantId)}#OPPS#MGR#${userId}`,
  }),
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
      ...(who.collaboratorId && approvedUtc
        ? { gsi5pk: `${t}#APPROVED#CTV#${who.collaboratorId}`, gsi5sk: `${approvedUtc}#${orderId}` }
        : {}),
    };
  },
  ordersByMonth: (tenantId: string, month: string) => ({ index: 'gsi1' as const, pk: `${tenantPk(tenantId)}#ORDERS#${month}` }),
  ordersByCollaborator: (tenantId: string, id: string) => ({ index: 'gsi2' as const, pk: `${tenantPk(tenantId)}#ORDERS#CTV#${id}` }),
  ordersByCareStaff: (tenantId: string, id: string) => ({ index: 'gsi3' as const, pk: `${tenantPk(tenantId)}#ORDERS#STAFF#${id}` }),
  ordersByManager: (tenantId: string, id: string) => ({ index: 'gsi4' as const, pk: `${tenantPk(tenantId)}#ORDERS#MGR#${id}` }),
  /** a CTV's credited orders by approval (UTC ISO): a period's volume is one range, however old the orders */
  ordersApprovedByCollaborator: (tenantId: string, id: string) => ({
    index: 'gsi5' as const,
    pk: `${tenantPk(tenantId)}#APPROVED#CTV#${id}`,
  }),

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
  kpiPlanVersionsPrefix: (tenantId: string, planId?: string) => ({
    pk: tenantPk(tenantId),
    skPrefix: planId ? `KPIVER#${planId}#` : 'KPIVER#',
  }),
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
  feedbackIndexes: (
    tenantId: string,
    orderId: string,
    ratedAtUtc: string,
    who: { collaboratorId: string | null; managerUserId: string | null },
  ) => ({
    ...(who.collaboratorId
      ? { gsi1pk: `${tenantPk(tenantId)}#RATINGS#CTV#${who.collaboratorId}`, gsi1sk: `${ratedAtUtc}#${orderId}` }
      : {}),
    ...(who.managerUserId ? { gsi2pk: `${tenantPk(tenantId)}#RATINGS#MGR#${who.managerUserId}`, gsi2sk: `${ratedAtUtc}#${orderId}` } : {}),
  }),
  ratingsOfCollaborator: (tenantId: string, collaboratorId: string) => ({
    index: 'gsi1' as const,
    pk: `${tenantPk(tenantId)}#RATINGS#CTV#${collaboratorId}`,
  }),
  ratingsOfManager: (tenantId: string, managerUserId: string) => ({
    index: 'gsi2' as const,
    pk: `${tenantPk(tenantId)}#RATINGS#MGR#${managerUserId}`,
  }),
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
  statementsOfCollaborator: (tenantId: string, collaboratorId: string) => ({
    pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`,
    skPrefix: 'HEAD#',
  }),
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
  disputesOfCollaborator: (tenantId: string, collaboratorId: string) => ({
    pk: `${tenantPk(tenantId)}#STMT#${collaboratorId}`,
    skPrefix: 'DISPUTE#',
  }),
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
  jobIndex: (tenantId: string, createdAt: string, jobId: string) => ({
    gsi1pk: `${tenantPk(tenantId)}#JOBS`,
    gsi1sk: `${createdAt}#${jobId}`,
  }),
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
  deliveriesOfSource: (tenantId: string, sourceId: string, status: string) => ({
    index: 'gsi2' as const,
    pk: `${tenantPk(tenantId)}#DLVS#SRC#${sourceId}#${status}`,
  }),
  /** sparse, across businesses: the deliveries still waiting (status accepted), oldest first */
  waitingDeliveryIndex: (tenantId: string, receivedAt: string, deliveryId: string) => ({
    gsi3pk: 'DLVS#ACCEPTED',
    gsi3sk: `${receivedAt}#${tenantId}#${deliveryId}`,
  }),
  waitingDeliveries: () => ({ index: 'gsi3' as const, pk: 'DLVS#ACCEPTED' }),
  nightlyState: (tenantId: string): Key => ({ pk: tenantPk(tenantId), sk: 'NIGHTLY' }),
  /** "changed since": one small item per (UTC day, shard, CTV), written with the change; TTL */
  changeMarker: (tenantId: string, day: string, shard: string, collaboratorId: string): Key => ({
    pk: `${tenantPk(tenantId)}#CHANGES#${day}#${shard}`,
    sk: `CTV#${collaboratorId}`,
  }),
  changeMarkersOf: (tenantId: string, day: string, shard: string) => ({
    pk: `${tenantPk(tenantId)}#CHANGES#${day}#${shard}`,
    skPrefix: 'CTV#',
  }),
  /**
   * The nightly schedule's list of businesses: GSI1 `TENANTS / <tenantId>` on the tenant item (the
   * one cross-tenant read, by the scheduler only). Set by the tenant's creation (docs/nightly.md).
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
  frozenResultsOf: (tenantId: string, periodId: string, kind: 'STAFF' | 'MANAGER') => ({
    pk: `${tenantPk(tenantId)}#FROZEN#${periodId}`,
    skPrefix: `${kind}#`,
  }),

  idempotency: (scope: string, callerId: string, key: string): Key => ({
    pk: `${scope === '' ? 'GLOBAL' : tenantPk(scope)}#IDEM#${callerId}#${key}`,
    sk: 'IDEM',
  }),

  // --- invitations to the rosters (issue 18) ---
  /**
   * An owner's invitation: `T#t#INVITE / <invitationId>` (a ULID, so the partition reads in the order
   * they were made). Its token names the business and the invitation, so the accept route finds it
   * by key; only the token's hash is kept.
   */
  invitation: (tenantId: string, invitationId: string): Key => ({ pk: `${tenantPk(tenantId)}#INVITE`, sk: invitationId }),
  invitationsOf: (tenantId: string) => ({ pk: `${tenantPk(tenantId)}#INVITE` }),
};

/** Attributes that are keys, not data: stripped from items before they become domain objects. */
export const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'gsi5pk',
  'gsi5sk',
  'entity',
  'expiresAt',
];
