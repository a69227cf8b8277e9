import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CreateObjectiveInput,
  objectiveFromInput,
  okrScore,
  progressBp,
  UpdateKeyResultInput,
  type Objective,
} from '../../../domain/okr/okr';

describe('key result progress', () => {
  it('is (current − start) ÷ (target − start)', () => {
    expect(progressBp(0, 100, 50)).toBe(5000);
    expect(progressBp(20, 120, 45)).toBe(2500);
    expect(progressBp(0, 3, 1)).toBe(3333);
    expect(progressBp(0, 3, 2)).toBe(6667);
  });

  it('works when the target is below the start', () => {
    expect(progressBp(8, 5, 6.5)).toBe(5000); // lower the return rate from 8% to 5%: now 6.5%
    expect(progressBp(8, 5, 5)).toBe(10000);
    expect(progressBp(8, 5, 4)).toBe(10000); // past the target: clamped
    expect(progressBp(8, 5, 9)).toBe(0); // worse than the start: clamped
  });

  it('is clamped to 0..1', () => {
    expect(progressBp(0, 100, 150)).toBe(10000);
    expect(progressBp(0, 100, -5)).toBe(0);
    expect(progressBp(10, 20, 10)).toBe(0);
  });

  it('is exact on decimals, rounded half away from zero to the bp', () => {
    // in floating point (4.35 − 4) ÷ (4.5 − 4) is 0.6999999999999993
    expect(progressBp(4, 4.5, 4.35)).toBe(7000);
    expect(progressBp(0.1, 0.4, 0.2)).toBe(3333);
    // 0.0001 ÷ 2 = 0.00005 → 0.5 bp → 1 bp
    expect(progressBp(0, 2, 0.0001)).toBe(1);
    expect(progressBp(0, 2.0001, 0.0001)).toBe(0); // 0.49998 bp
  });

  it('property: within 0..10000, and reaching the target is 10000', () => {
    const v = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((x) => x / 100);
    fc.assert(
      fc.property(v, v, v, (start, target, current) => {
        fc.pre(start !== target);
        const p = progressBp(start, target, current);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(10000);
        expect(progressBp(start, target, target)).toBe(10000);
        expect(progressBp(start, target, start)).toBe(0);
      }),
    );
  });
});

describe('OKR score', () => {
  const kr = (weightBp: number, start: number, target: number, current: number) => ({ title: 'kr', weightBp, start, target, current });

  it('is the weighted mean of the objectives, each the weighted mean of its key results', () => {
    const objectives: Objective[] = [
      { title: 'Tăng mạng lưới CTV', weightBp: 6000, keyResults: [kr(5000, 0, 20, 20), kr(5000, 100, 200, 150)] }, // 10000, 5000 → 7500
      { title: 'Giảm tỉ lệ huỷ đơn', weightBp: 4000, keyResults: [kr(10000, 8, 4, 7)] }, // 1/4 → 2500
    ];
    const r = okrScore(objectives);
    expect(r.objectives.map((o) => o.scoreBp)).toEqual([7500, 2500]);
    expect(r.objectives[0]!.keyResults.map((k) => k.progressBp)).toEqual([10000, 5000]);
    // (6000 × 7500 + 4000 × 2500) ÷ 10000
    expect(r.scoreBp).toBe(5500);
    expect(r.score).toBe(0.55);
  });

  it('divides by the weights actually present (objectives are created one by one)', () => {
    const r = okrScore([
      { title: 'a', weightBp: 3000, keyResults: [kr(10000, 0, 1, 1)] },
      { title: 'b', weightBp: 1000, keyResults: [kr(10000, 0, 1, 0)] },
    ]);
    expect(r.scoreBp).toBe(7500); // 3000 × 10000 ÷ 4000
    expect(okrScore([]).scoreBp).toBe(0);
  });
});

describe('OKR inputs', () => {
  const valid = {
    managerUserId: 'mgr-1',
    period: '2026-Q4',
    title: 'Khách hài lòng hơn',
    weightBp: 5000,
    keyResults: [
      { title: 'Sao trung bình', start: 4.2, target: 4.6, weightBp: 7000 },
      { title: 'Tỉ lệ trả hàng', unit: '%', start: 8, target: 5, current: 7.5, weightBp: 3000 },
    ],
  };

  it('accepts an objective for a period, the current value starting at the start', () => {
    const input = CreateObjectiveInput.parse(valid);
    const o = objectiveFromInput(input);
    expect(o.keyResults.map((k) => k.current)).toEqual([4.2, 7.5]);
    expect(o.keyResults[1]!.unit).toBe('%');
    for (const period of ['2026-11', '2026-W47', '2026', '2026-Q1'])
      expect(CreateObjectiveInput.safeParse({ ...valid, period }).success).toBe(true);
  });

  const paths = (input: unknown) => {
    const r = CreateObjectiveInput.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('rejects what does not make sense, naming the field', () => {
    expect(paths({ ...valid, period: '2026-13' })).toEqual(['period']);
    expect(paths({ ...valid, period: 'Q4-2026' })).toEqual(['period']);
    expect(paths({ ...valid, keyResults: [{ ...valid.keyResults[0], weightBp: 6000 }, valid.keyResults[1]] })).toEqual(['keyResults']);
    expect(paths({ ...valid, keyResults: [{ ...valid.keyResults[0], target: 4.2 }, valid.keyResults[1]] })).toEqual([
      'keyResults.0.target',
    ]);
    expect(paths({ ...valid, keyResults: [{ ...valid.keyResults[0], start: 4.12345 }, valid.keyResults[1]] })).toEqual([
      'keyResults.0.start',
    ]);
    expect(paths({ ...valid, weightBp: 0 })).toEqual(['weightBp']);
    expect(paths({ ...valid, keyResults: [] })).toContain('keyResults');
    expect(paths({ ...valid, extra: 1 })).toEqual(['']);
    expect(UpdateKeyResultInput.safeParse({ current: 4.4 }).success).toBe(true);
    expect(UpdateKeyResultInput.safeParse({ current: 'x' }).success).toBe(false);
  });
});
