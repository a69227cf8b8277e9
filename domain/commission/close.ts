/**
 * The rules of a month's close (domain/nightly.ts plans it; functions/jobs/units.ts runs it): which
 * periods it settles and freezes, the period-level lines (awards, referral) it books from the facts
 * it froze, how those lines are booked against what an earlier run booked, and where each CTV's
 * level goes. Also the awards a CTV would get if each period in progress closed now (snapshots).
 */
import { canEarn, type Collaborator, type LevelChange } from '../entities/collaborator';
import { periodsEndingIn } from '../nightly';
import { CYCLES, parsePeriod, periodRange, type Cycle, type Zone } from '../period';
import { diffLedger, type LedgerEntry } from './ledger';
import { beneficiaryPart, type CommissionLine, type LineSource } from './lines';
import { awardLines, periodLines, planForPeriod, type PeriodMember, type RatingStats, type VolumeRecord } from './period';
import type { Levels, StoredPlanVersion } from './plan';
import { decideLevel, type LevelDecision } from './promotion';

// ---------------------------------------------------------------------------------------------
// Which periods a month's close settles and freezes

/** The cycles whose period-level lines a plan pays: its award cycles and its referral cycle. */
function cyclesOf(plan: StoredPlanVersion | null): Set<Cycle> {
  const out = new Set<Cycle>();
  if (!plan) return out;
  for (const a of plan.awards ?? []) out.add(a.cycle);
  if (plan.referral) out.add(plan.referral.cycle ?? 'month');
  return out;
}

/**
 * The periods ending in a month whose plan (the version in force on their last day) pays
 * period-level lines on their cycle: what the close of the month settles.
 */
export function periodsToSettle(month: string, versions: readonly StoredPlanVersion[], timeZone: Zone): string[] {
  return periodsEndingIn(month, CYCLES, timeZone).filter((p) => {
    const plan = planForPeriod(versions, p, timeZone);
    return cyclesOf(plan).has(parsePeriod(p)!.cycle);
  });
}

/**
 * The periods whose facts a month's close freezes: those it settles, and the month itself when the
 * month's plan moves levels (promotion decides from the month's frozen volume and ratings).
 */
export function periodsToFreeze(month: string, versions: readonly StoredPlanVersion[], timeZone: Zone): string[] {
  const periods = periodsToSettle(month, versions, timeZone);
  if (planForPeriod(versions, month, timeZone)?.levels && !periods.includes(month)) periods.push(month);
  return periods.sort();
}

// ---------------------------------------------------------------------------------------------
// The period-level lines, from the frozen facts

/** What a close knows of a CTV as a member of the business (referrals, who earns). */
export function memberOf(ctv: Pick<Collaborator, 'id' | 'referrerId' | 'approvedAt' | 'status'>): PeriodMember {
  return { id: ctv.id, referrerId: ctv.referrerId ?? null, approvedAt: ctv.approvedAt ?? null, canEarn: canEarn(ctv) };
}

/** One CTV's facts as a close froze them: per period ending in the month, its volume and ratings. */
export interface FrozenFacts {
  collaboratorId: string;
  member: PeriodMember;
  periods: Record<string, { records: VolumeRecord[]; ratings: RatingStats | null }>;
}

/** The desired period-level lines of a month's close, from the frozen facts. */
export function desiredPeriodLines(
  facts: readonly FrozenFacts[],
  versions: readonly StoredPlanVersion[],
  timeZone: Zone,
): { lines: CommissionLine[]; periods: string[] } {
  const periods = [...new Set(facts.flatMap((f) => Object.keys(f.periods)))].sort();
  const members = [...facts].sort((a, b) => (a.collaboratorId < b.collaboratorId ? -1 : 1)).map((f) => f.member);
  const lines: CommissionLine[] = [];
  for (const p of periods) {
    const plan = planForPeriod(versions, p, timeZone);
    if (!plan) continue;
    const volumes: VolumeRecord[] = [];
    const ratings = new Map<string, RatingStats>();
    for (const f of facts) {
      const of = f.periods[p];
      if (!of) continue;
      volumes.push(...of.records);
      if (of.ratings) ratings.set(f.collaboratorId, of.ratings);
    }
    lines.push(...periodLines({ periodId: p, timeZone, plan, volumes, ratings, members }));
  }
  return { lines, periods };
}

/** Lines per beneficiary (`collaborator:<id>` / `seller:<id>`): a close books each beneficiary apart. */
export function linesByBeneficiary(lines: readonly CommissionLine[]): Map<string, CommissionLine[]> {
  const out = new Map<string, CommissionLine[]>();
  for (const line of lines) {
    const b = beneficiaryPart(line.beneficiary);
    const list = out.get(b);
    if (list) list.push(line);
    else out.set(b, [line]);
  }
  return out;
}

/** The period a close's line or entry settles: its source period (a close books only period lines). */
const settledPeriodOf = (source: LineSource, month: string): string => (source.type === 'period' ? source.periodId : month);

/**
 * The entries a month's close books for one beneficiary: per settled period, the ledger's
 * difference between what earlier runs booked for that period and its desired lines. They are
 * booked into the month (still open: the close books before it freezes the month) and recorded at
 * the settled period's last instant, so they are payable at its cut-off however late the close runs.
 */
export function closeEntries(
  held: readonly LedgerEntry[],
  desired: readonly CommissionLine[],
  at: { month: string; closed: readonly string[]; timeZone: Zone },
): LedgerEntry[] {
  const { month } = at;
  const periods = new Set([...desired.map((l) => settledPeriodOf(l.source, month)), ...held.map((e) => settledPeriodOf(e.source, month))]);
  const out: LedgerEntry[] = [];
  for (const p of [...periods].sort()) {
    const cutoff = periodRange(p, at.timeZone)!.end;
    out.push(
      ...diffLedger(
        held.filter((e) => settledPeriodOf(e.source, month) === p),
        desired.filter((l) => settledPeriodOf(l.source, month) === p),
        {
          recordedAt: new Date(cutoff - 1).toISOString(),
          periodId: month,
          openPeriodId: month,
          closedPeriodIds: at.closed,
          source: { type: 'period', periodId: p },
        },
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Levels

/**
 * Where a CTV's level goes at a month's close, by the plan's `levels` and the month's frozen
 * facts. `done`: a close of this month already moved it (its history names the month), so it is
 * not decided again; a re-run only makes sure the move was audited.
 */
export function levelAtClose(
  rules: Levels,
  ctv: Pick<Collaborator, 'level' | 'levelHistory'>,
  month: string,
  facts: { canEarn: boolean; records: readonly VolumeRecord[]; ratings: RatingStats | null },
): { done: LevelChange } | { decision: LevelDecision } {
  const done = (ctv.levelHistory ?? []).find((h) => h.periodId === month && h.reason !== 'manual');
  if (done) return { done };
  return {
    decision: decideLevel(rules, {
      level: ctv.level,
      canEarn: facts.canEarn,
      quantity: facts.records.reduce((sum, r) => sum + r.quantity, 0),
      ratings: facts.ratings,
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the open month

/** The award lines a CTV would get if each period in progress closed now (their own volume only). */
export function projectedAwards(
  member: PeriodMember,
  periods: readonly string[],
  volumes: Record<string, VolumeRecord[]>,
  ratings: Record<string, RatingStats | null>,
  versions: readonly StoredPlanVersion[],
  timeZone: Zone,
): CommissionLine[] {
  const out: CommissionLine[] = [];
  for (const p of periods) {
    const plan = planForPeriod(versions, p, timeZone);
    if (!plan) continue;
    const r = ratings[p];
    out.push(
      ...awardLines({
        periodId: p,
        timeZone,
        plan,
        volumes: volumes[p] ?? [],
        ratings: new Map(r ? [[member.id, r]] : []),
        members: [member],
      }),
    );
  }
  return out;
}
