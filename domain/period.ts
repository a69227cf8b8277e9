/**
 * Periods in a business's time zone. A period id is `2026-11` (month), `2026-W47` (ISO week,
 * Monday to Sunday), `2026-Q4` (quarter) or `2026` (year). Periods end at local midnight after
 * their last day. Time zones come from the runtime's IANA database (Intl), which is pure
 * computation; instants are epoch milliseconds passed in.
 *
 * Months end on the business's cut-off day (DOMAIN.md, "Periods"): `monthEndDay` 1–28, or the
 * calendar month's last day. With 25, month 2026-11 runs from 26 October to 25 November. Quarters
 * are three such months ending in March, June, September and December; a year is twelve; weeks are
 * ISO weeks whatever the cut-off. A change of the cut-off applies from the first month not yet
 * closed, so a business's `Calendar` keeps every cut-off with the first month it applies to: a month
 * starts the day after the month before it ended, under whatever rule that one had. A zone given
 * as a plain string means calendar months.
 */
export type Cycle = 'week' | 'month' | 'quarter' | 'year';
export const CYCLES: readonly Cycle[] = ['week', 'month', 'quarter', 'year'];
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface PeriodRef {
  id: string;
  cycle: Cycle;
  /** first local day, YYYY-MM-DD */
  firstDay: string;
  /** last local day, YYYY-MM-DD */
  lastDay: string;
}

export interface PeriodRange extends PeriodRef {
  /** inclusive start instant, epoch ms */
  start: number;
  /** exclusive end instant, epoch ms (the cut-off) */
  end: number;
}

export const PERIOD_ID_PATTERN = /^(\d{4})(?:-(\d{2})|-W(\d{2})|-Q([1-4]))?$/;

/** A month's cut-off day from a month on: 1–28, or null for the calendar month's last day. */
export interface MonthEnd {
  /** the first month (YYYY-MM) it applies to */
  from: string;
  day: number | null;
}

/** How a business's periods fall: its zone and its month cut-offs (ascending by `from`; none: calendar months). */
export interface Calendar {
  timeZone: string;
  monthEnds?: readonly MonthEnd[];
}

/** A time zone (calendar months) or a business's calendar. */
export type Zone = string | Calendar;

export const zoneName = (zone: Zone): string => (typeof zone === 'string' ? zone : zone.timeZone);
const monthEndsOf = (zone: Zone | undefined): readonly MonthEnd[] =>
  zone === undefined || typeof zone === 'string' ? [] : (zone.monthEnds ?? []);

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(instant: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return parts as unknown as LocalParts;
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Ho_Chi_Minh: +7 h). */
export function zoneOffsetMs(instant: number, zone: Zone): number {
  const p = localParts(instant, zoneName(zone));
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instant of local midnight at the start of a local day. */
export function startOfLocalDay(day: string, zone: Zone): number {
  const timeZone = zoneName(zone);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  let instant = guess - zoneOffsetMs(guess, timeZone);
  instant = guess - zoneOffsetMs(instant, timeZone); // second pass settles DST edges
  return instant;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dayString = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** The local calendar day of an instant, YYYY-MM-DD. */
export function localDay(instant: number, zone: Zone): string {
  const p = localParts(instant, zoneName(zone));
  return dayString(p.year, p.month, p.day);
}

/** Add days to a YYYY-MM-DD day (calendar arithmetic, no zone involved). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return dayString(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** ISO week-numbering year and week of a day. */
function isoWeekOf(day: string): { year: number; week: number } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  const weekday = t.getUTCDay() || 7; // Monday 1 … Sunday 7
  t.setUTCDate(t.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return { year, week };
}

function mondayOfIsoWeek(year: number, week: number): string {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const weekday = jan4.getUTCDay() || 7;
  const monday = Date.UTC(year, 0, 4 - weekday + 1 + (week - 1) * 7);
  const t = new Date(monday);
  return dayString(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function weeksInIsoYear(year: number): number {
  return isoWeekOf(`${year}-12-28`).week;
}

const monthId = (y: number, m: number) => `${pad(y, 4)}-${pad(m)}`;
const shiftMonth = (id: string, by: number) => {
  const [y, m] = id.split('-').map(Number) as [number, number];
  const k = y * 12 + (m - 1) + by;
  return monthId(Math.floor(k / 12), (k % 12) + 1);
};
const calendarLastDay = (id: string) => addDays(`${shiftMonth(id, 1)}-01`, -1);

/** The cut-off day in force for a month (the latest rule whose `from` is at or before it). */
function cutOffOf(month: string, ends: readonly MonthEnd[]): number | null {
  let day: number | null = null;
  for (const e of ends) if (e.from <= month) day = e.day;
  return day;
}

/** The last local day of a month under a calendar. */
function lastDayOfMonth(month: string, ends: readonly MonthEnd[]): string {
  const day = cutOffOf(month, ends);
  const last = calendarLastDay(month);
  return day === null ? last : `${month}-${pad(Math.min(day, Number(last.slice(8))))}`;
}

/** The first local day of a month: the day after the month before it ended (under its own rule). */
const firstDayOfMonth = (month: string, ends: readonly MonthEnd[]) => addDays(lastDayOfMonth(shiftMonth(month, -1), ends), 1);

/** The month (id) a local day falls in under a calendar. */
function monthOfDay(day: string, ends: readonly MonthEnd[]): string {
  let month = day.slice(0, 7);
  if (ends.length === 0) return month;
  // a day past its calendar month's cut-off belongs to the next month; one before a month's first day (a rule changed) to the one before
  if (day > lastDayOfMonth(month, ends)) month = shiftMonth(month, 1);
  else if (day < firstDayOfMonth(month, ends)) month = shiftMonth(month, -1);
  return month;
}

/** The id of the period of a cycle that contains a local day (months, quarters and years under the zone's cut-offs). */
export function periodIdOfDay(day: string, cycle: Cycle, zone?: Zone): string {
  if (cycle === 'week') {
    const { year, week } = isoWeekOf(day);
    return `${pad(year, 4)}-W${pad(week)}`;
  }
  const month = monthOfDay(day, monthEndsOf(zone));
  const [y, m] = month.split('-').map(Number) as [number, number];
  switch (cycle) {
    case 'year':
      return pad(y, 4);
    case 'quarter':
      return `${pad(y, 4)}-Q${Math.ceil(m / 3)}`;
    case 'month':
      return month;
  }
}

/** The id of the period of a cycle that contains an instant, in the business's zone. */
export function periodIdAt(instant: number, cycle: Cycle, zone: Zone): string {
  return periodIdOfDay(localDay(instant, zoneName(zone)), cycle, zone);
}

/** Parse a period id into its cycle and local days (under the zone's cut-offs); null when it is not a valid period. */
export function parsePeriod(id: string, zone?: Zone): PeriodRef | null {
  const match = PERIOD_ID_PATTERN.exec(id);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000 || year > 2999) return null;
  const ends = monthEndsOf(zone);
  const months = (first: number, count: number) => ({
    firstDay: firstDayOfMonth(monthId(year, first), ends),
    lastDay: lastDayOfMonth(monthId(year, first + count - 1), ends),
  });
  if (match[2] !== undefined) {
    const month = Number(match[2]);
    if (month < 1 || month > 12) return null;
    return { id, cycle: 'month', ...months(month, 1) };
  }
  if (match[3] !== undefined) {
    const week = Number(match[3]);
    if (week < 1 || week > weeksInIsoYear(year)) return null;
    const first = mondayOfIsoWeek(year, week);
    return { id, cycle: 'week', firstDay: first, lastDay: addDays(first, 6) };
  }
  if (match[4] !== undefined) return { id, cycle: 'quarter', ...months((Number(match[4]) - 1) * 3 + 1, 3) };
  return { id, cycle: 'year', ...months(1, 12) };
}

/** A period's instants in a zone: [start, end) from local midnight to the local midnight after it. */
export function periodRange(id: string, zone: Zone): PeriodRange | null {
  const ref = parsePeriod(id, zone);
  if (!ref) return null;
  const timeZone = zoneName(zone);
  return {
    ...ref,
    start: startOfLocalDay(ref.firstDay, timeZone),
    end: startOfLocalDay(addDays(ref.lastDay, 1), timeZone),
  };
}

/** The period right after a period of the same cycle. */
export function nextPeriodId(id: string): string {
  const ref = parsePeriod(id);
  if (!ref) throw new RangeError(`not a period: ${id}`);
  return periodIdOfDay(addDays(ref.lastDay, 1), ref.cycle);
}
