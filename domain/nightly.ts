import type { Zone } from './period';
/**
 * The nightly run, planned as pure data (DOMAIN.md "Periods, snapshots and payouts"; issue 7).
 *
 * A run "as of" an instant closes every month whose cut-off is at or before it (oldest first), then
 * recomputes the snapshots of the open month (the month containing the instant). The plan is a
 * list of PHASES run one after another; the UNITS of a phase are independent and idempotent, so
 * they can run concurrently, be retried, or be repeated by a second run without doubling anything.
 *
 *   close of month M (skipped phases: what an earlier run already did)
 *     facts(M, CTVs…)       each CTV's volume and ratings of every period ending in M, frozen
 *     lines(M)              the period-level lines (awards, referral) from the frozen facts
 *     levels(M)             each CTV's level by the plan's promotion rule, from the frozen facts
 *     freeze(M)             M joins the closed list: later changes go to the next open month
 *     statements(M, CTVs…)  one statement per CTV, settling what became payable by the cut-off
 *       + results(M)        each care staff's KPI and each manager's CSAT / OKR of every period
 *                           ending in M, as of its cut-off, frozen (read from there ever after)
 *     finish(M)             the period record: totals, state closed
 *   snapshots(open, CTVs…) + kpi(open)   the open month so far: every CTV (full) or only changed ones
 *   finish                               the run's marker of what it has seen
 */
import { addDays, nextPeriodId, parsePeriod, periodIdAt, periodIdOfDay, periodRange, startOfLocalDay, type Cycle } from './period';

export const UNIT_KINDS = [
  'close.facts',
  'close.lines',
  'close.promote',
  'close.freeze',
  'close.statements',
  'close.results',
  'close.finish',
  'snapshot.ctvs',
  'snapshot.kpi',
  'run.finish',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface UnitSpec {
  kind: UnitKind;
  month: string;
  /** the CTVs this unit covers (chunked units) */
  ids?: string[];
}
export interface PhaseSpec {
  name: string;
  units: UnitSpec[];
}

/** How many CTVs one unit of work covers: small enough for one Lambda invocation of seconds. */
export const DEFAULT_CHUNK = 200;

/** The months whose cut-off is at or before `asOf`, from `firstMonth`, minus those already closed. */
export function monthsToClose(asOf: number, timeZone: Zone, firstMonth: string, finished: readonly string[]): string[] {
  if (!parsePeriod(firstMonth) || parsePeriod(firstMonth)!.cycle !== 'month') throw new RangeError(`not a month: ${firstMonth}`);
  const done = new Set(finished);
  const out: string[] = [];
  for (let m = firstMonth; ; m = nextPeriodId(m)) {
    const range = periodRange(m, timeZone)!;
    if (range.end > asOf) break;
    if (!done.has(m)) out.push(m);
    if (out.length > 600) throw new RangeError('more than 50 years of months to close');
  }
  return out;
}

/** The open month of a run: the one containing `asOf`. */
export const openMonthAt = (asOf: number, timeZone: Zone) => periodIdAt(asOf, 'month', timeZone);

/**
 * The periods (of the given cycles) whose cut-off falls inside month M: the periods a close of M
 * settles period-level lines for. A week belongs to the month of its Sunday; a quarter to its last
 * month; a year to December.
 */
export function periodsEndingIn(month: string, cycles: Iterable<Cycle>, timeZone: Zone): string[] {
  const m = periodRange(month, timeZone);
  if (m?.cycle !== 'month') throw new RangeError(`not a month: ${month}`);
  const out = new Set<string>();
  for (const cycle of cycles) {
    if (cycle === 'month') out.add(month);
    else if (cycle === 'week') {
      // every Sunday of the month ends a week; a week that began before 2000 (2000-01-02 ends
      // 1999-W52) is outside the periods kept (domain/period.ts): start at the first kept one
      let first = m.firstDay;
      while (!parsePeriod(periodIdOfDay(first, 'week'))) first = addDays(first, 1);
      for (let p = periodIdOfDay(first, 'week'); ; p = nextPeriodId(p)) {
        const r = parsePeriod(p)!;
        if (r.lastDay > m.lastDay) break;
        if (r.lastDay >= m.firstDay) out.add(p);
      }
    } else {
      const p = periodIdOfDay(m.lastDay, cycle, timeZone);
      if (parsePeriod(p, timeZone)!.lastDay === m.lastDay) out.add(p);
    }
  }
  return [...out].sort();
}

/** The periods (of the given cycles) in progress at an instant: what a snapshot projects awards for. */
export function periodsInProgress(asOf: number, cycles: Iterable<Cycle>, timeZone: Zone): string[] {
  const out = new Set<string>();
  for (const cycle of cycles) out.add(periodIdAt(asOf, cycle, timeZone));
  return [...out].sort();
}

export interface PlanInput {
  asOf: number;
  timeZone: Zone;
  /** the months to close, oldest first (see monthsToClose) */
  toClose: readonly string[];
  /** months already frozen (in the closed list) whose close has not finished */
  frozen: readonly string[];
  /** every CTV of the business (needed by closes and full recomputes) */
  collaboratorIds: readonly string[];
  /** the CTVs whose data changed since the last run */
  changed: readonly string[];
  /** recompute every CTV's snapshot, not just the changed ones */
  full: boolean;
  chunkSize?: number;
}

function chunk(ids: readonly string[], size: number): string[][] {
  const sorted = [...new Set(ids)].sort();
  const out: string[][] = [];
  for (let i = 0; i < sorted.length; i += size) out.push(sorted.slice(i, i + size));
  return out;
}

/** The run as phases of units (see the module comment). Deterministic in its input. */
export function planRun(input: PlanInput): PhaseSpec[] {
  const size = input.chunkSize ?? DEFAULT_CHUNK;
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('chunkSize is a whole number ≥ 1');
  const phases: PhaseSpec[] = [];
  const all = chunk(input.collaboratorIds, size);
  const frozen = new Set(input.frozen);
  for (const month of input.toClose) {
    if (!frozen.has(month)) {
      phases.push({ name: `close ${month}: facts`, units: all.map((ids) => ({ kind: 'close.facts', month, ids })) });
      phases.push({ name: `close ${month}: period lines`, units: [{ kind: 'close.lines', month }] });
      phases.push({ name: `close ${month}: levels`, units: [{ kind: 'close.promote', month }] });
      phases.push({ name: `close ${month}: freeze`, units: [{ kind: 'close.freeze', month }] });
    }
    // the KPI / CSAT / OKR results of the periods ending in M are frozen beside the statements
    // (after the freeze, whether or not this run froze M): a close that stopped before its finish
    // freezes them when it resumes
    phases.push({
      name: `close ${month}: statements`,
      units: [...all.map((ids) => ({ kind: 'close.statements' as const, month, ids })), { kind: 'close.results', month }],
    });
    phases.push({ name: `close ${month}: finish`, units: [{ kind: 'close.finish', month }] });
  }
  const open = openMonthAt(input.asOf, input.timeZone);
  const targets = input.full
    ? all
    : chunk(
        input.changed.filter((id) => id.length > 0),
        size,
      );
  phases.push({
    name: `snapshots ${open}`,
    units: [...targets.map((ids) => ({ kind: 'snapshot.ctvs' as const, month: open, ids })), { kind: 'snapshot.kpi', month: open }],
  });
  phases.push({ name: 'finish', units: [{ kind: 'run.finish', month: open }] });
  // a phase without units (a business without CTVs) would never complete through a queue
  return phases.filter((p) => p.units.length > 0);
}

/**
 * What a run's snapshots depend on besides the CTVs' own data: when any of it differs from the last
 * run's, every snapshot is recomputed (a new month, a new plan version, changed settings, a new
 * week or quarter to project).
 */
export function snapshotFingerprint(x: {
  openMonth: string;
  inProgress: readonly string[];
  planVersion: number;
  settingsVersion: number;
}): string {
  return JSON.stringify([x.openMonth, [...x.inProgress].sort(), x.planVersion, x.settingsVersion]);
}

/**
 * asOf as the API takes it: a local day (the run is as of the start of that day in the business's
 * zone) or an instant with offset. Null when it is neither.
 */
export function asOfInstant(asOf: string, timeZone: Zone): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    const month = parsePeriod(asOf.slice(0, 7));
    if (!month) return null;
    const day = Number(asOf.slice(8));
    const last = Number(month.lastDay.slice(8));
    if (day < 1 || day > last) return null;
    return startOfLocalDay(asOf, timeZone);
  }
  const t = Date.parse(asOf);
  return Number.isFinite(t) && /[T ]\d{2}:\d{2}/.test(asOf) && /(Z|[+-]\d{2}:\d{2})$/.test(asOf) ? t : null;
}
