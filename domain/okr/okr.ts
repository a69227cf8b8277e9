/**
 * Managers' objectives and key results (DOMAIN.md). An objective belongs to one manager and one
 * period (`2026-11`, `2026-Q4`, …) and has weighted key results, each measured from `start` to
 * `target` (a target below the start works: "lower the return rate from 8 to 5"). The progress of
 * a key result is (current − start) ÷ (target − start), clamped to 0..1, in basis points rounded
 * half away from zero; an objective's score is the weighted mean of its key results' progress, and
 * the OKR score the weighted mean of the objectives' scores (each rounded to the bp, as shown).
 *
 * Values are decimals with at most 4 places (stars, percentages, đồng, counts) and are computed
 * as integers scaled by 10⁴, so the arithmetic is exact.
 */
import * as z from 'zod';
import { mulDivRound, BP_PER_UNIT, type BasisPoints } from '../money';
import { parsePeriod } from '../period';
import { text } from '../text';
import { UserId } from '../entities/roster';
import { CsatResultView } from './csat';

const SCALE = 10_000;
const MAX_VALUE = 100_000_000_000; // 1e11: scaled by 10⁴ it stays a safe integer

const hasAtMost4Decimals = (x: number) => Math.abs(x * SCALE - Math.round(x * SCALE)) < 1e-6;

export const KeyResultValue = z.number().min(-MAX_VALUE).max(MAX_VALUE).refine(hasAtMost4Decimals, 'at most 4 decimal places');

export const PeriodId = z
  .string()
  .refine((id) => parsePeriod(id) !== null, 'a period is 2026-11 (month), 2026-W47 (ISO week), 2026-Q4 or 2026')
  .meta({ example: '2026-11' });

export const KeyResultInput = z
  .strictObject({
    title: text(300),
    unit: text(30).optional().meta({ example: '%' }),
    start: KeyResultValue,
    target: KeyResultValue,
    current: KeyResultValue.optional().meta({ description: 'defaults to start' }),
    weightBp: z
      .int()
      .min(1)
      .max(10_000)
      .meta({ description: 'weight within the objective; an objective’s key result weights sum to 10000' }),
  })
  .superRefine((kr, ctx) => {
    if (kr.target === kr.start) ctx.addIssue({ code: 'custom', path: ['target'], message: 'the target must differ from the start' });
  });

const objectiveFields = {
  title: text(300),
  weightBp: z
    .int()
    .min(1)
    .max(10_000)
    .meta({ description: 'weight of the objective in the manager’s OKR score of the period (a weighted mean)' }),
  keyResults: z.array(KeyResultInput).min(1).max(10),
};

function checkKeyResultWeights(keyResults: { weightBp: number }[], ctx: z.RefinementCtx) {
  const sum = keyResults.reduce((s, kr) => s + kr.weightBp, 0);
  if (sum !== 10_000) {
    ctx.addIssue({ code: 'custom', path: ['keyResults'], message: `key result weights must sum to 10000 (100%); they sum to ${sum}` });
  }
}

/** POST okrs: one objective of a manager for a period, with its key results. */
export const CreateObjectiveInput = z
  .strictObject({ managerUserId: UserId, period: PeriodId, ...objectiveFields })
  .superRefine((o, ctx) => checkKeyResultWeights(o.keyResults, ctx))
  .meta({ id: 'CreateObjectiveInput' });
export type CreateObjectiveInput = z.output<typeof CreateObjectiveInput>;

/** Record the current value of a key result. */
export const UpdateKeyResultInput = z
  .strictObject({
    current: KeyResultValue,
    version: z.int().min(1).optional().meta({ description: 'the version read; or send If-Match' }),
  })
  .meta({ id: 'UpdateKeyResultInput' });

export interface KeyResult {
  id?: string;
  title: string;
  unit?: string;
  start: number;
  target: number;
  current: number;
  weightBp: BasisPoints;
}

export interface Objective {
  id?: string;
  title: string;
  weightBp: BasisPoints;
  keyResults: KeyResult[];
}

/** The objective as stored from its input: every key result's current value starts at its start. */
export function objectiveFromInput(input: CreateObjectiveInput): Objective {
  return {
    title: input.title,
    weightBp: input.weightBp,
    keyResults: input.keyResults.map((kr) => ({
      title: kr.title,
      ...(kr.unit !== undefined ? { unit: kr.unit } : {}),
      start: kr.start,
      target: kr.target,
      current: kr.current ?? kr.start,
      weightBp: kr.weightBp,
    })),
  };
}

const scaled = (x: number) => Math.round(x * SCALE);

/** (current − start) ÷ (target − start) in bp, within 0..10000; works when the target is below the start. */
export function progressBp(start: number, target: number, current: number): BasisPoints {
  let span = scaled(target) - scaled(start);
  let moved = scaled(current) - scaled(start);
  if (span === 0) return moved === 0 ? BP_PER_UNIT : 0;
  if (span < 0) {
    span = -span;
    moved = -moved;
  }
  if (moved <= 0) return 0;
  if (moved >= span) return BP_PER_UNIT;
  return mulDivRound(moved, BP_PER_UNIT, span);
}

/** Σ weight × value ÷ Σ weight, rounded half away from zero; 0 with no weight. */
function weightedMeanBp(items: { weightBp: number; valueBp: number }[]): BasisPoints {
  const total = items.reduce((s, i) => s + i.weightBp, 0);
  if (total <= 0) return 0;
  return mulDivRound(
    items.reduce((s, i) => s + i.weightBp * i.valueBp, 0),
    1,
    total,
  );
}

export interface OkrScore {
  scoreBp: BasisPoints;
  /** scoreBp ÷ 10000, 4 decimals */
  score: number;
  objectives: {
    id?: string;
    title: string;
    weightBp: BasisPoints;
    scoreBp: BasisPoints;
    keyResults: (KeyResult & { progressBp: BasisPoints })[];
  }[];
}

export function okrScore(objectives: readonly Objective[]): OkrScore {
  const scoredObjectives = objectives.map((o) => {
    const keyResults = o.keyResults.map((kr) => ({ ...kr, progressBp: progressBp(kr.start, kr.target, kr.current) }));
    const scoreBp = weightedMeanBp(keyResults.map((kr) => ({ weightBp: kr.weightBp, valueBp: kr.progressBp })));
    return { ...(o.id !== undefined ? { id: o.id } : {}), title: o.title, weightBp: o.weightBp, scoreBp, keyResults };
  });
  const scoreBp = weightedMeanBp(scoredObjectives.map((o) => ({ weightBp: o.weightBp, valueBp: o.scoreBp })));
  return { scoreBp, score: scoreBp / BP_PER_UNIT, objectives: scoredObjectives };
}

const KeyResultView = z.object({
  id: z.string().optional(),
  title: z.string(),
  unit: z.string().optional(),
  start: z.number(),
  target: z.number(),
  current: z.number(),
  weightBp: z.int(),
  progressBp: z.int().meta({ description: '(current − start) ÷ (target − start), clamped to 0..10000' }),
});

/** `okr-results` items. */
export const OkrResultView = z
  .object({
    managerUserId: z.string(),
    period: z.string(),
    csat: CsatResultView,
    scoreBp: z.int(),
    score: z.number().meta({ description: 'OKR score: weighted mean of the objectives, 4 decimals' }),
    objectives: z.array(
      z.object({ id: z.string().optional(), title: z.string(), weightBp: z.int(), scoreBp: z.int(), keyResults: z.array(KeyResultView) }),
    ),
  })
  .meta({ id: 'OkrResult' });
