import { ruleViolation } from '../../../domain/errors';
import { nextPeriodId, parsePeriod, periodIdOfDay } from '../../../domain/period';
import type { Deps } from '../../http/deps';
import { earningsOf } from '../../store/earnings';

/**
 * Earnings of a period (API.md): statements are monthly, so a month is one read and a quarter or a
 * year adds up its months. `closed` stays false until period close exists.
 */
export async function earningsFor(deps: Deps, tenantId: string, beneficiary: string, period: string) {
  const ref = parsePeriod(period);
  if (!ref) throw ruleViolation('A period is 2026-10, 2026-Q4 or 2026', 'period');
  if (ref.cycle === 'week') throw ruleViolation('Earnings are kept by month; ask for a month, quarter or year', 'period');
  const months: string[] = [];
  for (let m = periodIdOfDay(ref.firstDay, 'month'); m <= periodIdOfDay(ref.lastDay, 'month'); m = nextPeriodId(m)) months.push(m);
  const { byKind, total } = await earningsOf(deps.store, tenantId, beneficiary, months);
  return { period, closed: false, byKind, total };
}
