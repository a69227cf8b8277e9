import { collaboratorScope } from '../../../domain/access';
import { calendarOf } from '../../../domain/entities/tenant';
import { priceOrder, priceOrderAt } from '../../../domain/commission/engine';
import type { StoredPlanVersion } from '../../../domain/commission/plan';
import { ruleViolation } from '../../../domain/errors';
import { toPricedOrder } from '../../../domain/orders/pricing';
import { addDays, nextPeriodId, periodIdOfDay, startOfLocalDay } from '../../../domain/period';
import { implement, json, toLambda } from '../../http/operation';
import { commissionPlanRoutes } from '../../routes/commission-plans';
import { listOrders, type StoredOrder } from '../../store/orders';
import { allPlanVersions } from '../../store/plans';
import { getSettings } from '../../store/tenants';

const MAX_DAYS = 92;
const MAX_ORDERS = 5000;

/**
 * "Current" is what the plan versions in force give (what the ledger holds for every order not
 * locked by a closed period); "draft" prices the same orders with the draft as if it had been in
 * force at their approval. Nothing is written. A manager previews their team's orders only (those
 * whose attribution names them), as their order list shows.
 */
export const operation = implement(commissionPlanRoutes.preview, async ({ deps, tenantId, body, membership }) => {
  const { from, to } = body;
  if (from > to) throw ruleViolation('`from` is after `to`', 'from');
  if (addDays(from, MAX_DAYS) < to) throw ruleViolation(`A preview covers at most ${MAX_DAYS} days`, 'to');
  const [settings, versions] = await Promise.all([getSettings(deps.store, tenantId), allPlanVersions(deps.store, tenantId)]);
  const tz = calendarOf(settings);
  const start = startOfLocalDay(from, tz);
  const end = startOfLocalDay(addDays(to, 1), tz);

  // orders are listed by creation month; one approved in the range was created at most a month before it
  const firstDay = addDays(from, -62);
  const months: string[] = [];
  for (let m = periodIdOfDay(firstDay, 'month', tz); m <= periodIdOfDay(to, 'month', tz); m = nextPeriodId(m)) months.unshift(m);
  const orders: StoredOrder[] = [];
  let cursor: string | undefined;
  do {
    const page = await listOrders(
      deps.store,
      tenantId,
      // scoped like the order list: a manager previews their team's orders (and so CTVs) only
      { from: new Date(startOfLocalDay(firstDay, tz)).toISOString(), to: new Date(end - 1).toISOString(), managerUserId: collaboratorScope(membership!).managerUserId },
      months,
      { limit: 200, cursor },
    );
    for (const o of page.items) {
      const approved = o.record.approvedAt ? Date.parse(o.record.approvedAt) : NaN;
      if (approved >= start && approved < end) orders.push(o);
    }
    if (orders.length > MAX_ORDERS) throw ruleViolation(`More than ${MAX_ORDERS} orders in the range; narrow it`, 'to');
    cursor = page.nextCursor ?? undefined;
  } while (cursor);

  const draft: StoredPlanVersion = { ...body.plan, planId: 'draft', version: 0, createdAt: deps.now().toISOString() };
  const perCtv = new Map<string, { current: number; draft: number }>();
  const add = (id: string, which: 'current' | 'draft', amount: number) => {
    const row = perCtv.get(id) ?? { current: 0, draft: 0 };
    row[which] += amount;
    perCtv.set(id, row);
  };
  for (const o of orders) {
    if (!o.attribution) continue;
    const priced = toPricedOrder(o.id, o.record, o.attribution, o.revenue);
    for (const l of priceOrderAt(priced, versions, { timeZone: tz }).lines) if (l.beneficiary.type === 'collaborator') add(l.beneficiary.id, 'current', l.amount);
    for (const l of priceOrder(priced, draft, { timeZone: tz })) if (l.beneficiary.type === 'collaborator') add(l.beneficiary.id, 'draft', l.amount);
  }
  const items = [...perCtv.entries()]
    .map(([collaboratorId, r]) => ({ collaboratorId, current: r.current, draft: r.draft, difference: r.draft - r.current }))
    .sort((a, b) => a.collaboratorId.localeCompare(b.collaboratorId));
  const totals = items.reduce((t, r) => ({ current: t.current + r.current, draft: t.draft + r.draft, difference: t.difference + r.difference }), { current: 0, draft: 0, difference: 0 });
  return json(200, { from, to, orders: orders.length, items, totals });
});

export const handler = toLambda(operation);
