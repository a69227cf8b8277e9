import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IdFilter } from '../../../domain/commission/id-filter';

describe('IdFilter', () => {
  it('never says "certainly not" of an id it holds, whatever the ids', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 300 }), (ids) => {
        const filter = new IdFilter(ids);
        for (const id of ids) expect(filter.mayHave(id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('turns away most ids it does not hold (what it is for)', () => {
    const held = Array.from({ length: 25_000 }, (_, i) => `C${String(i * 4).padStart(6, '0')}`);
    const filter = new IdFilter(held);
    const others = Array.from({ length: 75_000 }, (_, i) => `C${String(i * 4 + 1 + (i % 3)).padStart(6, '0')}`);
    const maybes = others.filter((id) => filter.mayHave(id)).length;
    expect(maybes / others.length).toBeLessThan(0.1); // about 6 % by construction (16 bits per id)
  });

  it('an empty filter holds nothing', () => {
    expect(new IdFilter([]).mayHave('A')).toBe(false);
    expect(new IdFilter([]).mayHave('')).toBe(false);
  });
});
