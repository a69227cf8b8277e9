/**
 * Months that end on the business's cut-off day (DOMAIN.md, "Periods"): with 25, 2026-11 runs from
 * 26 October to 25 November; quarters are three such months; weeks stay ISO weeks; a change of the
 * cut-off applies from a month on, and the month after the last one under the old rule starts
 * where that one ended.
 */
import { describe, expect, it } from 'vitest';
import { parsePeriod, periodIdAt, periodIdOfDay, periodRange, type Calendar } from '../../domain/period';

const HCM = 'Asia/Ho_Chi_Minh';
const on25: Calendar = { timeZone: HCM, monthEnds: [{ from: '2000-01', day: 25 }] };

describe('a month cut-off day', () => {
  it('with 25: 26 October – 25 November is 2026-11, local time', () => {
    expect(parsePeriod('2026-11', on25)).toMatchObject({ firstDay: '2026-10-26', lastDay: '2026-11-25' });
    expect(periodIdOfDay('2026-11-25', 'month', on25)).toBe('2026-11');
    expect(periodIdOfDay('2026-11-26', 'month', on25)).toBe('2026-12');
    expect(periodIdOfDay('2026-10-26', 'month', on25)).toBe('2026-11');
    // 25 Nov 23:59 in Hà Nội is 16:59 UTC; a minute later (26 Nov 00:00 local) is December
    expect(periodIdAt(Date.UTC(2026, 10, 25, 16, 59), 'month', on25)).toBe('2026-11');
    expect(periodIdAt(Date.UTC(2026, 10, 25, 17, 0), 'month', on25)).toBe('2026-12');
    const range = periodRange('2026-11', on25)!;
    expect([range.start, range.end]).toEqual([Date.UTC(2026, 9, 25, 17), Date.UTC(2026, 10, 25, 17)]);
  });

  it('the year turns at the December cut-off; quarters are three such months', () => {
    expect(periodIdOfDay('2026-12-26', 'month', on25)).toBe('2027-01');
    expect(periodIdOfDay('2026-12-26', 'year', on25)).toBe('2027');
    expect(periodIdOfDay('2026-12-26', 'quarter', on25)).toBe('2027-Q1');
    expect(parsePeriod('2026-Q4', on25)).toMatchObject({ firstDay: '2026-09-26', lastDay: '2026-12-25' });
    expect(parsePeriod('2027', on25)).toMatchObject({ firstDay: '2026-12-26', lastDay: '2027-12-25' });
    // February with 28 (or the last day) ends on its last day; 25 is within every month
    const on28: Calendar = { timeZone: HCM, monthEnds: [{ from: '2000-01', day: 28 }] };
    expect(parsePeriod('2028-03', on28)).toMatchObject({ firstDay: '2028-02-29', lastDay: '2028-03-28' });
  });

  it('weeks stay ISO weeks, and a plain zone (or no rule) means calendar months', () => {
    expect(periodIdOfDay('2026-11-26', 'week', on25)).toBe(periodIdOfDay('2026-11-26', 'week'));
    expect(parsePeriod('2026-11', HCM)).toMatchObject({ firstDay: '2026-11-01', lastDay: '2026-11-30' });
    expect(parsePeriod('2026-11', { timeZone: HCM, monthEnds: [{ from: '2000-01', day: null }] })).toMatchObject({
      firstDay: '2026-11-01',
      lastDay: '2026-11-30',
    });
  });

  it('a switch from calendar months to the 25th from December: 1–25 December is one month, then 26 Dec – 25 Jan', () => {
    const switched: Calendar = {
      timeZone: HCM,
      monthEnds: [
        { from: '2000-01', day: null },
        { from: '2026-12', day: 25 },
      ],
    };
    expect(parsePeriod('2026-11', switched)).toMatchObject({ firstDay: '2026-11-01', lastDay: '2026-11-30' });
    expect(parsePeriod('2026-12', switched)).toMatchObject({ firstDay: '2026-12-01', lastDay: '2026-12-25' });
    expect(parsePeriod('2027-01', switched)).toMatchObject({ firstDay: '2026-12-26', lastDay: '2027-01-25' });
    expect(periodIdOfDay('2026-12-26', 'month', switched)).toBe('2027-01');
    // and back to calendar months from February: February runs from 26 January to 28 February
    const back: Calendar = { timeZone: HCM, monthEnds: [...switched.monthEnds!, { from: '2027-02', day: null }] };
    expect(parsePeriod('2027-02', back)).toMatchObject({ firstDay: '2027-01-26', lastDay: '2027-02-28' });
    expect(periodIdOfDay('2027-01-27', 'month', back)).toBe('2027-02');
  });

  it('every day of ten years falls in exactly one month, and months tile without gaps', () => {
    const cal: Calendar = {
      timeZone: HCM,
      monthEnds: [
        { from: '2000-01', day: 10 },
        { from: '2027-05', day: null },
        { from: '2029-02', day: 28 },
        { from: '2030-07', day: 1 },
      ],
    };
    let month = '2026-01';
    let expectedFirst = parsePeriod(month, cal)!.firstDay;
    for (let i = 0; i < 120; i++) {
      const ref = parsePeriod(month, cal)!;
      expect(ref.firstDay).toBe(expectedFirst);
      expect(ref.lastDay >= ref.firstDay).toBe(true);
      expect(periodIdOfDay(ref.firstDay, 'month', cal)).toBe(month);
      expect(periodIdOfDay(ref.lastDay, 'month', cal)).toBe(month);
      const next = new Date(Date.parse(`${ref.lastDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      expectedFirst = next;
      const [y, m] = month.split('-').map(Number) as [number, number];
      month = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    }
  });
});
