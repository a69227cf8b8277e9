import { collaboratorScope } from '../../domain/access';
import type { CommissionPlan, StoredPlanVersion } from '../../domain/commission/plan';
import { checkPreviewRange, comparePlans } from '../../domain/commission/preview';
import type { Membership } from '../../domain/entities/roster';
import { calendarOf } from '../../domain/entities/tenant';
import { ruleViolation } from '../../domain/errors';
import { monthsNewestFirst } from '../../domain/orders/listing';
import { toPricedOrder } from '../../domain/orders/pricing';
import { addDays, startOfLocalDay, type Calendar } from '../../domain/period';
import type { Deps } from '../deps';
import { listOrders, type StoredOrder } from '../store/orders';
import { allPlanVersions, latestPlanVersionNumber, putPlanVersion, type PlanVersionItem } from '../store/plans';
import { getSettings } from '../store/tenants';

/** A business has one commission plan; every create is its next version. */
export const PLAN_ID = 'main';

/** The plan's next version, in force from its effectiveFrom. */
export async function createPlanVersion(deps: Deps, tenantId: string, plan: CommissionPlan, actor: string): Promise<PlanVersionItem> {
  const version = (await latestPlanVersionNumber(deps.store, tenantId)) + 1;
  const item: PlanVersionItem = {
    ...plan,
    id: `${PLAN_ID}.v${version}`,
    tenantId,
    planId: PLAN_ID,
    version,
    createdAt: deps.now().toISOString(),
    createdBy: actor,
  };
  await putPlanVersion(deps.store, item);
  return item;
}

/** A preview reads at most this many orders (each is priced twice, in one request). */
const MAX_ORDERS = 5000;

/**
 * "Current" is what the plan versions in force give (what the ledger holds for every order not
 * locked by a closed period); "draft" prices the same orders with the draft as if it had been in
 * force at their approval (domain/commission/preview.ts). Nothing is written. A manager previews
 * their team's orders only (those whose attribution names them), as their order list shows.
 */
export async function previewPlan(
  deps: Deps,
  tenantId: string,
  input: { plan: CommissionPlan; from: string; to: string },
  membership: Membership,
) {
  const { from, to } = input;
  checkPreviewRange(from, to);
  const [settings, versions] = await Promise.all([getSettings(deps.store, tenantId), allPlanVersions(deps.store, tenantId)]);
  const tz = calendarOf(settings);
  const orders = await ordersApprovedIn(deps, tenantId, from, to, tz, collaboratorScope(membership).managerUserId);
  const draft: StoredPlanVersion = { ...input.plan, planId: 'draft', version: 0, createdAt: deps.now().toISOString() };
  const priced = orders.flatMap((o) => (o.attribution ? [toPricedOrder(o.id, o.record, o.attribution, o.revenue)] : []));
  return { from, to, orders: orders.length, ...comparePlans(priced, versions, draft, { timeZone: tz }) };
}

/** The orders approved on the local days `from` to `to`, scoped like the order list (a manager: their team's). */
async function ordersApprovedIn(
  deps: Deps,
  tenantId: string,
  from: string,
  to: string,
  tz: Calendar,
  managerUserId: string | undefined,
): Promise<StoredOrder[]> {
  const start = startOfLocalDay(from, tz);
  const end = startOfLocalDay(addDays(to, 1), tz);
  // orders are listed by creation month; one approved in the range was created at most a month before it
  const firstDay = addDays(from, -62);
  const months = monthsNewestFirst(firstDay, to, tz);
  const filter = { from: new Date(startOfLocalDay(firstDay, tz)).toISOString(), to: new Date(end - 1).toISOString(), managerUserId };
  const orders: StoredOrder[] = [];
  let cursor: string | undefined;
  do {
    const page = await listOrders(deps.store, tenantId, filter, months, { limit: 200, cursor });
    for (const o of page.items) {
      const approved = o.record.approvedAt ? Date.parse(o.record.approvedAt) : NaN;
      if (approved >= start && approved < end) orders.push(o);
    }
    if (orders.length > MAX_ORDERS) throw ruleViolation(`More than ${MAX_ORDERS} orders in the range; narrow it`, 'to');
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return orders;
}
