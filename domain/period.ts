/**
 * Periods in a business's time zone. A period id is `2026-11` (month), `2026-W47` (ISO week,
 * Monday to Sunday), `2026-Q4` (quarter) or `2026` (year). Periods end at local midnight after
 * their last day (the calendar cut-offs). Time zones come from the runtime's IANA database
 * (Intl), which is pure computation; instants are epoch milliseconds passed in.
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

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
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

interface LocalParts { year: number; month: number; day: number; hour: number; minute: number; second: number }

function localParts(instant: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return parts as unknown as LocalParts;
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Ho_Chi_Minh: +7 h). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The instant of local midnight at the start of a local day. */
export function startOfLocalDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  let instant = guess - zoneOffsetMs(guess, timeZone);
  instant = guess - zoneOffsetMs(instant, timeZone); // second pass settles DST edges
  return instant;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dayString = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** The local calendar day of an instant, YYYY-MM-DD. */
export function localDay(instant: number, timeZone: string): string {
  const p = localParts(instant, timeZone);
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

/** The id of the period of a cycle that contains a local day. */
export function periodIdOfDay(day: string, cycle: Cycle): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  switch (cycle) {
    case 'year': return pad(y, 4);
    case 'quarter': return `${pad(y, 4)}-Q${Math.ceil(m / 3)}`;
    case 'month': return `${pad(y, 4)}-${pad(m)}`;
    case 'week': {
      const { year, week } = isoWeekOf(day);
      return `${pad(year, 4)}-W${pad(week)}`;
    }
  }
}

/** The id of the period of a cycle that contains an instant, in the business's zone. */
export function periodIdAt(instant: number, cycle: Cycle, timeZone: string): string {
  return periodIdOfDay(localDay(instant, timeZone), cycle);
}

/** Parse a period id into its cycle and local days; null when it is not a valid period. */
export function parsePeriod(id: string): PeriodRef | null {
  const match = PERIOD_ID_PATTERN.exec(id);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000 || year > 2999) return null;
  if (match[2] !== undefined) {
    const month = Number(match[2]);
    if (month < 1 || month > 12) return null;
    const first = dayString(year, month, 1);
    return { id, cycle: 'month', firstDay: first, lastDay: addDays(dayString(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1), -1) };
  }
  if (match[3] !== undefined) {
    const week = Number(match[3]);
    if (week < 1 || week > weeksInIsoYear(year)) return null;
    const first = mondayOfIsoWeek(year, week);
    return { id, cycle: 'week', firstDay: first, lastDay: addDays(first, 6) };
  }
  if (match[4] !== undefined) {
    const q = Number(match[4]);
    const firstMonth = (q - 1) * 3 + 1;
    const first = dayString(year, firstMonth, 1);
    const next = q === 4 ? dayString(year + 1, 1, 1) : dayString(year, firstMonth + 3, 1);
    return { id, cycle: 'quarter', firstDay: first, lastDay: addDays(next, -1) };
  }
  return { id, cycle: 'year', firstDay: dayString(year, 1, 1), lastDay: dayString(year, 12, 31) };
}

/** A period's instants in a zone: [start, end) from local midnight to the local midnight after it. */
export function periodRange(id: string, timeZone: string): PeriodRange | null {
  const ref = parsePeriod(id);
  if (!ref) return null;
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
