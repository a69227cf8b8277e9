/**
 * `parseInstant` reads the approval instant without `Date.parse`'s cost; it must say exactly what
 * `Date.parse` says, for every string: the ones it reads itself and the ones it hands over.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseInstant } from '../../../domain/commission/instant';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** the shape the system writes, every field drawn over (and past) its range */
const isoLike = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 61 }),
    millis: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
    zone: fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 60 }))
        .map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`),
    ),
  })
  .map(
    (f) =>
      `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${f.millis === undefined ? '' : `.${pad(f.millis, 3)}`}${f.zone}`,
  );

/** the same with one character replaced or dropped, or something appended */
const damaged = fc.tuple(isoLike, fc.nat(), fc.constantFrom('x', '9', ' ', '-', ':', '.', 'T', 'z', '+', '', '0Z')).map(([s, at, c]) => {
  const i = at % (s.length + 1);
  return c === '0Z' ? s + c : s.slice(0, i) + c + s.slice(i + 1);
});

const same = (s: string): void => {
  expect(Object.is(parseInstant(s), Date.parse(s)), `${s}: ${parseInstant(s)} vs ${Date.parse(s)}`).toBe(true);
};

describe('parseInstant is Date.parse', () => {
  it('for instants as the system writes them (toISOString) and with offsets', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('0000-01-01T00:00:00Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseInstant(iso)).toBe(ms);
        same(iso.replace('Z', '+07:00'));
        same(`${iso.slice(0, 19)}Z`);
      }),
      { numRuns: 2000 },
    );
  });

  it('for every field value, in range or not, and for damaged strings', () => {
    fc.assert(fc.property(isoLike, same), { numRuns: 5000 });
    fc.assert(fc.property(damaged, same), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ maxLength: 30 }), same), { numRuns: 2000 });
  });

  it('at the edges', () => {
    for (const s of [
      '2024-02-29T00:00:00Z', // leap day
      '2026-02-29T00:00:00Z', // not a leap year
      '2000-02-29T12:00:00Z', // divisible by 400
      '1900-02-29T12:00:00Z', // divisible by 100
      '2026-10-01T24:00:00Z',
      '2026-10-01T23:59:60Z',
      '2026-12-31T23:59:59.999+14:00',
      '2026-01-01T00:00:00.000-12:00',
      '1969-12-31T23:59:59.999Z', // before the epoch
      '0000-01-01T00:00:00Z',
      '2026-10-01T09:30:00', // no zone: local time, Date.parse's to decide
      '2026-10-01T09:30:00.1Z',
      '2026-10-01T09:30:00.1234Z',
      '2026-10-01T09:30:00z',
      '2026-10-01t09:30:00Z',
      '2026-10-01T09:30:00+0700',
      '+002026-10-01T09:30:00Z',
      '2026-10-01',
      '2026-10-12T09:30:00+07:00',
    ]) {
      same(s);
    }
  });
});
