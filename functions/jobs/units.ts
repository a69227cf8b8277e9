import { calendarOf } from '../../domain/entities/tenant';
/**
 * The units of work of the nightly run (see domain/nightly.ts for the plan). Each unit is
 * idempotent: it may be retried after a crash, delivered twice by SQS, or run by a second
 * concurrent job, and the stored result is the same as one clean run:
 *   - facts are write-once (the first computation is frozen);
 *   - period lines are the ledger's difference to the desired lines, appended under deterministic
 *     item keys with a condition, so a line is never booked twice;
 *   - a month is frozen by a conditional list append;
 *   - a statement is written once (header conditional), carrying its predecessor in the same
 *     transaction;
 *   - snapshots are deterministic in their inputs and rewritten only when they differ.
 */
import { emptyByKind, type LedgerEntry } from '../../domain/commission/ledger';
import { beneficiaryPart } from '../../domain/commission/lines';
import {
  desiredPeriodLines,
  levelAtClose,
  linesByBeneficiary,
  memberOf,
  periodsToFreeze,
  periodsToSettle,
  projectedAwards,
} from '../../domain/commission/close';
import { planForPeriod, type RatingStats } from '../../domain/commission/period';
import type { LevelChange } from '../../domain/entities/collaborator';
import { DomainError } from '../../domain/errors';
import { sumVnd } from '../../domain/money';
import { periodsEndingIn, periodsInProgress, type UnitSpec } from '../../domain/nightly';
import { CYCLES, periodRange, type Cycle } from '../../domain/period';
import { computeStatement, isEmptyStatement } from '../../domain/statements';
import type { Deps } from '../deps';
import { writeAudit } from '../store/audit';
import { cancellationReasons, type Store } from '../store/client';
import { getCollaborator, getCollaboratorsById, saveCollaborator } from '../store/collaborators';
import { earningsOf } from '../store/earnings';
import { getJob, type Job } from '../store/jobs';
import { closeLedgerOf, ledgerOfPeriod } from '../store/ledger';
import { getOrders } from '../store/orders';
import { freezeMonth, getPeriodRecord, getPeriodsState, putPeriodRecord } from '../store/periods';
import { allPlanVersions } from '../store/plans';
import {
  allPeriodFacts,
  existingFactIds,
  putPeriodFacts,
  putSnapshot,
  putStaffSnapshot,
  type CollaboratorSnapshot,
  type PeriodFacts,
} from '../store/snapshots';
import {
  allStatementsOfMonth,
  getStatement,
  latestStatementBefore,
  statementEntries,
  statementRev,
  writeStatement,
  ENTRIES_PER_PART,
  type StatementHeader,
} from '../store/statements';
import { getSettings } from '../store/tenants';
import { transact } from '../store/transactions';
import { freezeResults, kpiResultsFor, okrResultsFor } from '../services/kpi-results';
import { postToLedger } from '../services/ledger-posting';
import { mapLimit, ratingsOf, volumesOf } from './data';

/** Called at checkpoints inside units; a test throws from it to simulate a crash half-way. */
export type Fault = (point: string, unit: UnitSpec) => void;

export interface UnitContext {
  deps: Deps;
  job: Job;
  /** parallel reads and writes inside one unit */
  concurrency: number;
  fault?: Fault;
}

/** What a unit reports back (counted into the job's summary). */
export interface UnitResult {
  written?: number;
  /** statements: how many of the unit's CTVs have a statement of the month after it */
  present?: number;
  snapshots?: number;
  kpi?: string;
}

const iso = (t: number) => new Date(t).toISOString();

// ---------------------------------------------------------------------------------------------
// close.facts

async function closeFacts(ctx: UnitContext, unit: UnitSpec): Promise<UnitResult> {
  const { deps, job } = ctx;
  const t = job.tenantId;
  const ids = unit.ids ?? [];
  const [settings, versions, present] = await Promise.all([
    getSettings(deps.store, t),
    allPlanVersions(deps.store, t),
    existingFactIds(deps.store, t, unit.month, ids),
  ]);
  const periods = periodsToFreeze(unit.month, versions, calendarOf(settings));
  // a plan without awards or referral on these cycles, nor levels, has nothing to freeze
  if (periods.length === 0) return { written: 0 };
  const todo = ids.filter((id) => !present.has(id));
  const ctvs = await getCollaboratorsById(deps.store, t, todo);
  let written = 0;
  await mapLimit(todo, ctx.concurrency, async (id) => {
    const ctv = ctvs.get(id);
    if (!ctv) return;
    const volumes = await volumesOf(deps.store, t, id, periods, calendarOf(settings), versions);
    const facts: PeriodFacts = {
      tenantId: t,
      month: unit.month,
      collaboratorId: id,
      member: memberOf(ctv),
      periods: {},
      computedAt: deps.now().toISOString(),
    };
    for (const p of periods) facts.periods[p] = { records: volumes[p] ?? [], ratings: await ratingsOf(deps.store, t, id, p) };
    if (await putPeriodFacts(deps.store, facts)) written += 1;
    ctx.fault?.('facts', unit);
  });
  return { written };
}

// ---------------------------------------------------------------------------------------------
// close.lines

async function closeLines(ctx: UnitContext, unit: UnitSpec): Promise<UnitResult> {
  const { deps, job } = ctx;
  const t = job.tenantId;
  const month = unit.month;
  const [settings, versions, facts, closed] = await Promise.all([
    getSettings(deps.store, t),
    allPlanVersions(deps.store, t),
    allPeriodFacts(deps.store, t, month),
    getPeriodsState(deps.store, t),
  ]);
  if (closed.closed.includes(month)) return { written: 0 };
  const timeZone = calendarOf(settings);
  const desired = linesByBeneficiary(desiredPeriodLines(facts, versions, timeZone).lines);
  let booked = await closeLedgerOf(deps.store, t, month);
  const beneficiaries = [...new Set([...desired.keys(), ...booked.keys()])].sort();
  let written = 0;

  await mapLimit(beneficiaries, ctx.concurrency, async (b) => {
    for (let attempt = 0; ; attempt++) {
      const held = booked.get(b) ?? { entries: [], apply: 0 };
      const { entries, items } = postToLedger(deps.store, {
        tenantId: t,
        source: { type: 'period', month, beneficiary: b, apply: held.apply + 1 },
        desired: desired.get(b) ?? [],
        held: held.entries,
        at: deps.now().toISOString(),
        timeZone,
        closed,
      });
      if (entries.length === 0) return;
      try {
        await transact(deps.store, items);
        written += entries.length;
        ctx.fault?.('lines', unit);
        return;
      } catch (error) {
        // another run booked this beneficiary first: read what it booked and book only the rest
        if (!cancellationReasons(error)?.includes('ConditionalCheckFailed') || attempt >= 3) throw error;
        booked = await closeLedgerOf(deps.store, t, month);
      }
    }
  });
  return { written };
}

// ---------------------------------------------------------------------------------------------
// close.promote

/**
 * Levels at the month's close (domain/commission/promotion.ts), by the plan in force on the month's
 * last day, from the month's frozen facts. Each move is one conditional write of the CTV (its level
 * and a `levelHistory` entry naming the month), then an audit entry keyed by that entry, so a re-run
 * moves nobody twice: a CTV whose history already names this month's close is not decided again,
 * and only its audit entry is written if a crash lost it.
 */
async function closePromote(ctx: UnitContext, unit: UnitSpec): Promise<UnitResult> {
  const { deps, job } = ctx;
  const t = job.tenantId;
  const month = unit.month;
  const [settings, versions] = await Promise.all([getSettings(deps.store, t), allPlanVersions(deps.store, t)]);
  const rules = planForPeriod(versions, month, calendarOf(settings))?.levels;
  if (!rules) return { written: 0 };
  const facts = await allPeriodFacts(deps.store, t, month);
  let written = 0;
  await mapLimit(facts, ctx.concurrency, async (f) => {
    const of = f.periods[month];
    if (!of) return;
    for (let attempt = 0; ; attempt++) {
      const ctv = await getCollaborator(deps.store, t, f.collaboratorId);
      if (!ctv) return;
      const level = levelAtClose(rules, ctv, month, { canEarn: f.member.canEarn, records: of.records, ratings: of.ratings });
      if ('done' in level) return auditLevelMove(deps.store, t, ctv.id, level.done, job.id);
      const { decision } = level;
      if (decision.move === null) return;
      const at = deps.now().toISOString();
      const change: LevelChange = {
        level: decision.to,
        from: decision.from,
        at,
        by: job.requestedBy,
        reason: decision.move,
        periodId: month,
      };
      try {
        await saveCollaborator(deps.store, ctv, {
          ...ctv,
          level: decision.to,
          levelHistory: [...(ctv.levelHistory ?? []), change],
          updatedAt: at,
          updatedBy: job.requestedBy,
          version: ctv.version + 1,
        });
      } catch (error) {
        // changed meanwhile (by hand, or by a second run): read it again and decide again
        if (error instanceof DomainError && error.kind === 'precondition_failed' && attempt < 3) continue;
        throw error;
      }
      written += 1;
      ctx.fault?.('promote', unit);
      return auditLevelMove(deps.store, t, ctv.id, change, job.id);
    }
  });
  return { written };
}

/** The audit entry of a level moved by a close, keyed by its history entry: written once. */
async function auditLevelMove(store: Store, tenantId: string, collaboratorId: string, change: LevelChange, jobId: string): Promise<void> {
  await writeAudit(store, {
    id: `${change.reason}.${change.periodId}.${collaboratorId}`,
    tenantId,
    at: change.at,
    actor: change.by,
    action: change.reason === 'promotion' ? 'promoteCollaborator' : 'demoteCollaborator',
    target: { collaboratorId, periodId: change.periodId!, jobId },
    before: { level: change.from },
    after: { level: change.level },
  }).catch((error: unknown) => {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  });
}

// ---------------------------------------------------------------------------------------------
// close.freeze

async function closeFreeze(ctx: UnitContext, unit: UnitSpec): Promise<UnitResult> {
  const { deps, job } = ctx;
  const t = job.tenantId;
  const now = deps.now().toISOString();
  const [settings, versions] = await Promise.all([getSettings(deps.store, t), allPlanVersions(deps.store, t)]);
  // the record first (the first writer's time stands), then the list every ledger writer reads
  await putPeriodRecord(deps.store, {
    tenantId: t,
    id: unit.month,
    state: 'closing',
    frozenAt: now,
    jobId: job.id,
    requestedBy: job.requestedBy,
    settledPeriods: periodsToSettle(unit.month, versions, calendarOf(settings)),
  });
  await freezeMonth(deps.store, t, unit.month, now);
  const record = (await getPeriodRecord(deps.store, t, unit.month))!;
  await writeAudit(deps.store, {
    id: `closePeriod.${unit.month}`,
    tenantId: t,
    at: record.frozenAt,
    actor: record.requestedBy,
    action: 'closePeriod',
    target: { periodId: unit.month, jobId: record.jobId },
    before: { state: 'open' },
    after: { state: 'closed', settledPeriods: record.settledPeriods },
  }).catch((error: unknown) => {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  });
  return {};
}

// ---------------------------------------------------------------------------------------------
// close.statements

async function closeStatements(ctx: UnitContext, unit: UnitSpec): Promise<UnitResult> {
  const { deps, job } = ctx;
  const t = job.tenantId;
  const month = unit.month;
  const ids = unit.ids ?? [];
  const [settings, ctvs] = await Promise.all([getSettings(deps.store, t), getCollaboratorsById(deps.store, t, ids)]);
  const cutoff = periodRange(month, calendarOf(settings))!.end;
  let written = 0;
  let present = 0;
  await mapLimit(ids, ctx.concurrency, async (id) => {
    for (let attempt = 0; attempt < 4; attempt++) {
      if (await getStatement(deps.store, t, id, month)) {
        present += 1;
        return;
      }
      const ctv = ctvs.get(id);
      const previous = await latestStatementBefore(deps.store, t, id, month);
      const [pending, entries] = await Promise.all([
        previous ? statementEntries(deps.store, previous, 'PENDING') : Promise.resolve([] as LedgerEntry[]),
        ledgerOfPeriod(deps.store, t, beneficiaryPart({ type: 'collaborator', id }), month),
      ]);
      const orderIds = [...pending, ...entries].flatMap((e) => (e.source.type === 'order' ? [e.source.orderId] : []));
      // when each order was delivered (completed, or returned without completion), for maturity
      const delivered = new Map(
        (await getOrders(deps.store, t, orderIds)).map((o) => [o.id, o.record.completedAt ?? o.record.returnedAt ?? null]),
      );
      const s = computeStatement({
        collaboratorId: id,
        periodId: month,
        cutoff,
        holdingDays: settings.holdingDays,
        previous: previous ? { periodId: previous.periodId, status: previous.status, balance: previous.balance, pending } : null,
        entries,
        completedAt: (orderId) => delivered.get(orderId) ?? null,
      });
      if (isEmptyStatement(s)) return;
      const rev = statementRev(s.lines, s.pending);
      const header: StatementHeader = {
        tenantId: t,
        collaboratorId: id,
        collaborator: { name: ctv?.name ?? '', refId: ctv?.refId ?? '', phone: ctv?.phone ?? '' },
        careStaffUserId: ctv?.careStaffUserId ?? null,
        managerUserId: ctv?.managerUserId ?? null,
        periodId: month,
        status: 'draft',
        byKind: s.byKind,
        total: s.total,
        lineCount: s.lines.length,
        pendingCount: s.pending.length,
        pendingTotal: s.pendingTotal,
        broughtForward: s.broughtForward,
        broughtForwardFrom: s.broughtForwardFrom,
        balance: s.balance,
        openDisputes: 0,
        rev,
        lineParts: Math.ceil(s.lines.length / ENTRIES_PER_PART),
        pendingParts: Math.ceil(s.pending.length / ENTRIES_PER_PART),
        createdAt: iso(cutoff),
        jobId: job.id,
        version: 1,
      };
      const outcome = await writeStatement(
        deps.store,
        header,
        s.lines,
        s.pending,
        s.carriesPrevious && previous ? { periodId: previous.periodId, status: previous.status } : null,
      );
      if (outcome === 'written') written += 1;
      if (outcome !== 'previous_changed') {
        present += 1;
        ctx.fault?.('statement', unit);
        return;
      }
      // the previous statement was batched (or approved) meanwhile: read it again
    }
    throw new Error(`the statement of ${id} for ${month} kept racing with changes to its predecessor`);
  });
  return { written, present };
}

// ---------------------------------------------------------------------------------------------
// close.results (issue 15): each care staff's KPI result and each manager's CSAT and OKR of every
// period ending in the month, as of its cut-off, frozen write-once (a re-run keeps them)

async function closeResults(ctx: UnitContext, unit: UnitSpec): Promise<UnitResult> {
  const { deps, job } = ctx;
  const timeZone = calendarOf(await getSettings(deps.store, job.tenantId));
  const { written } = await freezeResults(deps, job.tenantId, unit.month, periodsEndingIn(unit.month, CYCLES, timeZone), { jobId: job.id });
  ctx.fault?.('results', unit);
  return { written };
}

async function closeFinish(ctx: UnitContext, unit: UnitSpec): Promise<UnitResult> {
  const { deps, job } = ctx;
  const t = job.tenantId;
  const record = await getPeriodRecord(deps.store, t, unit.month);
  if (!record) throw new Error(`period ${unit.month} has no record: its freeze did not run`);
  if (record.state === 'closed') return {};
  const statements = await allStatementsOfMonth(deps.store, t, unit.month);
  // the month's statements are read through an index (eventually consistent): every statement the
  // statements units saw must be there, or the totals would be short; a retry waits for the index
  const fresh = await getJob(deps.store, t, job.id);
  const expected = fresh?.counters?.[`present.${unit.month}`] ?? 0;
  if (statements.length < expected)
    throw new Error(`${statements.length} of ${expected} statements of ${unit.month} are indexed yet; retry`);
  const byKind = emptyByKind();
  for (const s of statements) for (const [k, v] of Object.entries(s.byKind)) byKind[k as keyof typeof byKind] += v;
  await putPeriodRecord(deps.store, {
    ...record,
    state: 'closed',
    closedAt: deps.now().toISOString(),
    statements: statements.length,
    total: sumVnd(statements.map((s) => s.total)),
    byKind,
  });
  return {};
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the open month

async function snapshotCtvs(ctx: UnitContext, unit: UnitSpec): Promise<UnitResult> {
  const { deps, job } = ctx;
  const t = job.tenantId;
  const ids = unit.ids ?? [];
  const asOf = Date.parse(job.asOf);
  const [settings, versions, ctvs] = await Promise.all([
    getSettings(deps.store, t),
    allPlanVersions(deps.store, t),
    getCollaboratorsById(deps.store, t, ids),
  ]);
  const tz = calendarOf(settings);
  const month = unit.month;
  const awardCycles = new Set<Cycle>(['month']);
  for (const v of versions) for (const a of v.awards ?? []) awardCycles.add(a.cycle);
  const periods = periodsInProgress(asOf, awardCycles, tz);
  let snapshots = 0;
  let written = 0;
  await mapLimit(ids, ctx.concurrency, async (id) => {
    const ctv = ctvs.get(id);
    if (!ctv) return;
    const beneficiary = beneficiaryPart({ type: 'collaborator', id });
    const [earnings, volumes] = await Promise.all([
      earningsOf(deps.store, t, beneficiary, [month]),
      volumesOf(deps.store, t, id, periods, tz, versions),
    ]);
    const ratings: Record<string, RatingStats | null> = {};
    for (const p of periods) ratings[p] = await ratingsOf(deps.store, t, id, p);
    const projected = projectedAwards(memberOf(ctv), periods, volumes, ratings, versions, tz).map((l) => ({
      key: l.key,
      kind: l.kind,
      amount: l.amount,
      trace: l.trace,
    }));
    const monthRecords = volumes[month] ?? [];
    const projectedTotal = sumVnd(projected.map((l) => l.amount));
    const snapshot: CollaboratorSnapshot = {
      tenantId: t,
      periodId: month,
      collaboratorId: id,
      name: ctv.name,
      refId: ctv.refId,
      status: ctv.status,
      careStaffUserId: ctv.careStaffUserId ?? null,
      managerUserId: ctv.managerUserId ?? null,
      asOf: job.asOf,
      earnings,
      volume: {
        revenue: sumVnd(monthRecords.map((r) => r.revenue)),
        quantity: monthRecords.reduce((s, r) => s + r.quantity, 0),
        orders: monthRecords.length,
      },
      ratings: ratings[month] ?? { count: 0, starsSum: 0 },
      projected: { lines: projected, total: projectedTotal },
      projectedTotal: earnings.total + projectedTotal,
    };
    snapshots += 1;
    if ((await putSnapshot(deps.store, snapshot)) === 'written') written += 1;
    ctx.fault?.('snapshot', unit);
  });
  return { snapshots, written };
}

async function snapshotKpi(ctx: UnitContext, unit: UnitSpec): Promise<UnitResult> {
  const { deps, job } = ctx;
  const t = job.tenantId;
  // kpiResultsFor / okrResultsFor come from the KPI service (issue 6); a failure there leaves the
  // commission snapshots intact and is reported in the job's summary
  const outcomes: string[] = [];
  for (const [kind, compute] of [
    ['KPI', kpiResultsFor],
    ['OKR', okrResultsFor],
  ] as const) {
    try {
      const items = await compute(deps, t, unit.month);
      await putStaffSnapshot(deps.store, { tenantId: t, periodId: unit.month, kind, asOf: job.asOf, items: items as unknown[] });
      outcomes.push(`${kind} ok`);
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 200) : 'failed';
      await putStaffSnapshot(deps.store, { tenantId: t, periodId: unit.month, kind, asOf: job.asOf, items: null, unavailable: reason });
      outcomes.push(`${kind} unavailable: ${reason}`);
    }
  }
  return { kpi: outcomes.join('; ') };
}

// ---------------------------------------------------------------------------------------------

export const UNIT_RUNNERS: Record<Exclude<UnitSpec['kind'], 'run.finish'>, (ctx: UnitContext, unit: UnitSpec) => Promise<UnitResult>> = {
  'close.facts': closeFacts,
  'close.lines': closeLines,
  'close.promote': closePromote,
  'close.freeze': closeFreeze,
  'close.statements': closeStatements,
  'close.results': closeResults,
  'close.finish': closeFinish,
  'snapshot.ctvs': snapshotCtvs,
  'snapshot.kpi': snapshotKpi,
};
