import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, localDay, nextPeriodId, parsePeriod, periodIdAt, periodRange } from '../../domain/period';
import { normalizeRefId, refIdFor, ulid, ULID_PATTERN } from '../../domain/ids';
import { normalizeVnPhone } from '../../domain/phone';

const HCM = 'Asia/Ho_Chi_Minh';

describe('periods in the business time zone', () => {
  it('a month runs from local midnight to local midnight (UTC+7)', () => {
    const nov = periodRange('2026-11', HCM)!;
    expect(new Date(nov.start).toISOString()).toBe('2026-10-31T17:00:00.000Z');
    expect(new Date(nov.end).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(nov.lastDay).toBe('2026-11-30');
  });

  it('an instant belongs to the local day: 23:30 UTC on Oct 31 is Nov 1 in Vietnam', () => {
    const t = Date.parse('2026-10-31T23:30:00Z');
    expect(localDay(t, HCM)).toBe('2026-11-01');
    expect(periodIdAt(t, 'month', HCM)).toBe('2026-11');
    expect(periodIdAt(t, 'month', 'UTC')).toBe('2026-10');
    expect(periodIdAt(t, 'quarter', HCM)).toBe('2026-Q4');
    expect(periodIdAt(t, 'year', HCM)).toBe('2026');
  });

  it('ISO weeks: Monday to Sunday, week 1 holds the first Thursday', () => {
    expect(parsePeriod('2026-W47')).toMatchObject({ firstDay: '2026-11-16', lastDay: '2026-11-22' });
    expect(periodIdAt(Date.parse('2027-01-01T12:00:00+07:00'), 'week', HCM)).toBe('2026-W53');
    expect(parsePeriod('2026-W53')).toMatchObject({ firstDay: '2026-12-28', lastDay: '2027-01-03' });
    expect(parsePeriod('2025-W53')).toBeNull(); // 2025 has 52 ISO weeks
    expect(parsePeriod('2024-Q1')).toMatchObject({ firstDay: '2024-01-01', lastDay: '2024-03-31' });
    expect(parsePeriod('2024-02')!.lastDay).toBe('2024-02-29');
  });

  it('rejects what is not a period', () => {
    for (const bad of ['2026-13', '2026-00', '2026-W00', '2026-Q5', '26-11', '2026-11-01', 'abc']) expect(parsePeriod(bad)).toBeNull();
  });

  it('every instant lies in exactly the period its id names, and periods follow each other without gaps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') }),
        fc.constantFrom('week', 'month', 'quarter', 'year' as const),
        fc.constantFrom(HCM, 'UTC', 'America/New_York'),
        (t, cycle, tz) => {
          const id = periodIdAt(t, cycle, tz);
          const range = periodRange(id, tz)!;
          expect(t).toBeGreaterThanOrEqual(range.start);
          expect(t).toBeLessThan(range.end);
          expect(periodRange(nextPeriodId(id), tz)!.start).toBe(range.end);
        },
      ),
    );
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('ids', () => {
  it('ULIDs are 26 Crockford characters that sort by time', () => {
    const bytes = new Uint8Array(10).fill(255);
    const a = ulid(1_700_000_000_000, bytes);
    const b = ulid(1_700_000_000_001, new Uint8Array(10));
    expect(a).toMatch(ULID_PATTERN);
    expect(a < b).toBe(true);
    expect(ulid(0, new Uint8Array(10))).toBe('0'.repeat(26));
  });

  it('REF IDs take the given name and five unambiguous characters', () => {
    const id = refIdFor('Nguyễn Thị Hoa', new Uint8Array([0, 1, 2, 3, 4]));
    expect(id).toBe('HOA23456');
    expect(refIdFor('Đặng Đức', new Uint8Array(5))).toMatch(/^DUC[2-9A-Z]{5}$/);
    expect(refIdFor('!!!', new Uint8Array(5))).toMatch(/^CTV/);
    expect(normalizeRefId(' hoa 234 ')).toBe('HOA234');
  });
});

describe('Vietnamese phone numbers', () => {
  it('normalise every common way of writing one to +84…', () => {
    for (const input of ['0912345678', '+84912345678', '84912345678', '091 234 5678', '0912.345.678', '+84-912-345-678']) {
      expect(normalizeVnPhone(input)).toBe('+84912345678');
    }
    expect(normalizeVnPhone('(024) 3825 1234')).toBe('+842438251234');
  });

  it('reject what is not one', () => {
    for (const input of ['12345', '0123456789', '091234567', '09123456789', '+1 415 555 0100', 'abc', '', '00912345678']) {
      expect(normalizeVnPhone(input)).toBeNull();
    }
  });
});
