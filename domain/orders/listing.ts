import { ruleViolation } from '../errors';
import { addDays, nextPeriodId, parsePeriod, periodIdOfDay, type Calendar, type Zone } from '../period';

/**
 * Which stored orders a list reads. Orders are kept by the month they were created in (under the
 * business's cut-offs), so a list of days reads the month partitions those days fall in.
 */

/** An order list covers at most this many days. */
export const MAX_ORDER_RANGE_DAYS = 366;

/** A list's local days `from` to `to` (inclusive): in order and at most MAX_ORDER_RANGE_DAYS apart (422 naming `from`). */
export function checkOrderRange(from: string, to: string): void {
  if (from > to) throw ruleViolation('`from` is after `to`', 'from');
  if (addDays(from, MAX_ORDER_RANGE_DAYS) < to) throw ruleViolation(`A range is at most ${MAX_ORDER_RANGE_DAYS} days`, 'from');
}

/** The months (YYYY-MM) of the local days `firstDay` to `lastDay` under the zone's cut-offs, newest first. */
export function monthsNewestFirst(firstDay: string, lastDay: string, zone: Zone): string[] {
  const months: string[] = [];
  for (let m = periodIdOfDay(firstDay, 'month', zone); m <= periodIdOfDay(lastDay, 'month', zone); m = nextPeriodId(m)) months.unshift(m);
  return months;
}

/**
 * The month partitions a list of orders created `from` to `to` reads, newest first. With a cut-off
 * day, one more month on each side: an order keeps the creation month of the cut-off in force when
 * it was stored, and a change of the cut-off moves the days at a month's edge to its neighbour.
 * A range past the calendar's years is a 422 naming `to`.
 */
export function orderListMonths(from: string, to: string, calendar: Calendar): string[] {
  const edge = calendar.monthEnds ? 31 : 0;
  const months = monthsNewestFirst(addDays(from, -edge), addDays(to, edge), calendar);
  if (!parsePeriod(months[0]!)) throw ruleViolation('The range is out of bounds', 'to');
  return months;
}
