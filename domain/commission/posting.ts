/**
 * Where a ledger posting lands (DOMAIN.md "Money rules"). Statements are monthly: an entry counts
 * in the statement period of its source (an order's or voucher's approval), and a change that can
 * no longer land there, because that period is closed, lands in the first period after it still
 * open, which is the period of the change's own time unless that one is closed too.
 */
import { nextPeriodId, periodIdAt, type Zone } from '../period';

/** Statements are monthly: an order's commission counts in the month of its approval. */
export const STATEMENT_CYCLE = 'month' as const;

/** The statement period an instant (ISO) falls in, in the business's calendar. */
export function statementPeriodAt(at: string, timeZone: Zone): string {
  return periodIdAt(Date.parse(at), STATEMENT_CYCLE, timeZone);
}

/** The first period from `period` on that is not closed: where changes to closed periods land. */
export function openPeriodAfter(period: string, closed: readonly string[]): string {
  let p = period;
  while (closed.includes(p)) p = nextPeriodId(p);
  return p;
}

/** The open statement period at `at`: its own period, or the first after it still open. */
export function openPeriodAt(at: string, closed: readonly string[], timeZone: Zone): string {
  return openPeriodAfter(statementPeriodAt(at, timeZone), closed);
}
