import { notFound, ruleViolation } from '../../domain/errors';
import { nextPeriodId, parsePeriod, periodIdOfDay } from '../../domain/period';
import type { Deps } from '../deps';
import { earningsOf, earningsOfMember } from '../store/earnings';
import { getClosedPeriods } from '../store/periods';

/**
 * Earnings of a period (API.md): statements are monthly, so a month is one read and a quarter or a
 * year adds up its months. `closed`: every month of the period is closed (its statements frozen).
 * With `memberUserId` (a seller's earnings asked for by someone else), an account the business does
 * not know is a 404; its member item is read in the same BatchGetItem as the totals.
 */
export async function earningsFor(deps: Deps, tenantId: string, beneficiary: string, period: string, options: { memberUserId?: string } = {}) {
  const ref = parsePeriod(period);
  if (!ref) throw ruleViolation('A period is 2026-10, 2026-Q4 or 2026', 'period');
  if (ref.cycle === 'week') throw ruleViolation('Earnings are kept by month; ask for a month, quarter or year', 'period');
  const months: string[] = [];
  for (let m = periodIdOfDay(ref.firstDay, 'month'); m <= periodIdOfDay(ref.lastDay, 'month'); m = nextPeriodId(m)) months.push(m);
  const [earnings, closedMonths] = await Promise.all([
    options.memberUserId === undefined
      ? earningsOf(deps.store, tenantId, beneficiary, months)
      : earningsOfMember(deps.store, tenantId, beneficiary, months, options.memberUserId),
    getClosedPeriods(deps.store, tenantId),
  ]);
  if (!earnings) throw notFound('Seller');
  const { byKind, total } = earnings;
  return { period, closed: months.every((m) => closedMonths.includes(m)), byKind, total };
}
