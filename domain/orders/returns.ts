import type { OrderEventLine } from './event';
import type { OrderRecord } from './order';

/**
 * Each return of an order at its own time (DOMAIN.md: volume and KPI revenue count the returns
 * recorded by the cut-off, "each return counted at its own time").
 *
 * The order record keeps only the newest content, whose `returnedQuantity` per line is the sum of
 * every return so far, and its history stamps carry times without quantities. So the stored order
 * also keeps its return steps: each time a change moves a line's returned quantity, one step with
 * the time of the revision that moved it (its `occurredAt`, the order system's time of the return,
 * as every time of the order record is) and the returned quantity after it of each line it moved.
 * What was returned by a cut-off is then the steps before the cut-off, folded.
 *
 * An order stored before steps were kept has none: its returns are taken as one, at the time of its
 * first return (`returnedAt`), which is exact for an order returned once.
 */
export interface ReturnStep {
  /** the revision whose content carried these quantities */
  revision: number;
  /** when the return happened: that revision's occurredAt */
  at: string;
  /** returned quantity after this step (cumulative) of each line the step moved */
  lines: Record<string, number>;
}

/** More steps than this (an order returned a unit at a time, dozens of times) merge the oldest two. */
export const MAX_RETURN_STEPS = 32;

function fold(steps: readonly ReturnStep[], keep: (step: ReturnStep) => boolean = () => true): Map<string, number> {
  const out = new Map<string, number>();
  for (const step of steps) {
    if (!keep(step)) continue;
    for (const [lineId, quantity] of Object.entries(step.lines)) out.set(lineId, quantity);
  }
  return out;
}

/** The steps of an order stored before steps were kept: everything returned, at its first return. */
export function legacyReturnSteps(record: Pick<OrderRecord, 'lines' | 'revision' | 'returnedAt' | 'occurredAt'>): ReturnStep[] {
  const lines: Record<string, number> = {};
  for (const l of record.lines) if (l.returnedQuantity > 0) lines[l.lineId] = l.returnedQuantity;
  if (Object.keys(lines).length === 0) return [];
  return [{ revision: record.revision, at: record.returnedAt ?? record.occurredAt, lines }];
}

/**
 * The steps after a change: `steps` (what the stored order kept; undefined for an order stored
 * before steps were kept, or a new order) and one more when the new content's returned quantities
 * differ from what the steps add up to. Deterministic in its inputs, so a change retried after a
 * conflict keeps the same steps.
 */
export function returnStepsAfter(
  steps: readonly ReturnStep[] | undefined,
  before: Pick<OrderRecord, 'lines' | 'revision' | 'returnedAt' | 'occurredAt'> | null,
  after: Pick<OrderRecord, 'lines' | 'revision' | 'occurredAt'>,
): ReturnStep[] {
  const base = steps ? [...steps] : before ? legacyReturnSteps(before) : [];
  const known = fold(base);
  const moved: Record<string, number> = {};
  for (const line of after.lines) {
    if (line.returnedQuantity !== (known.get(line.lineId) ?? 0)) moved[line.lineId] = line.returnedQuantity;
  }
  if (Object.keys(moved).length === 0) return base;
  const out = [...base, { revision: after.revision, at: after.occurredAt, lines: moved }];
  while (out.length > MAX_RETURN_STEPS) {
    const [first, second] = out.splice(0, 2) as [ReturnStep, ReturnStep];
    // merged into the later step: a return is never counted before it was recorded
    out.unshift({ revision: second.revision, at: second.at, lines: { ...first.lines, ...second.lines } });
  }
  return out;
}

/** Each line's returned quantity as of a cut-off (epoch ms): the steps strictly before it. */
export function returnedBy(
  record: Pick<OrderRecord, 'lines' | 'revision' | 'returnedAt' | 'occurredAt'>,
  steps: readonly ReturnStep[] | undefined,
  cutoff: number,
): Map<string, number> {
  return fold(steps ?? legacyReturnSteps(record), (s) => Date.parse(s.at) < cutoff);
}

/**
 * The order as it stood at a cut-off, for what counts by then (a period's volume): its lines with
 * the quantities returned before the cut-off only, and a void recorded at or after the cut-off not
 * yet applied (the order counts as approved, or completed if it was by then). Approval and
 * completion times are unchanged: the caller decides by them what the period holds.
 */
export function orderAsOf(record: OrderRecord, steps: readonly ReturnStep[] | undefined, cutoff: number): OrderRecord {
  const returned = returnedBy(record, steps, cutoff);
  const lines: OrderEventLine[] = record.lines.map((l) => ({
    ...l,
    returnedQuantity: Math.min(l.quantity, Math.max(0, returned.get(l.lineId) ?? 0)),
  }));
  let state = record.state;
  if (state === 'void' && record.approvedAt !== null && record.voidedAt !== null && Date.parse(record.voidedAt) >= cutoff) {
    state = record.completedAt !== null && Date.parse(record.completedAt) < cutoff ? 'completed' : 'approved';
  }
  return { ...record, lines, state };
}
