import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/errors';
import { checkOrderRange, monthsNewestFirst, orderListMonths } from '../../../domain/orders/listing';

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return error instanceof DomainError ? `${error.kind}:${error.errors[0]?.path}` : 'other';
  }
  return 'none';
};

const TZ = 'Asia/Ho_Chi_Minh';

describe('which months an order list reads', () => {
  it('a range is in order and at most 366 days', () => {
    // 2026-01-01 + 366 days = 2027-01-02 (2026 has 365 days)
    expect(refusal(() => checkOrderRange('2026-01-01', '2027-01-02'))).toBe('none');
    expect(refusal(() => checkOrderRange('2026-01-01', '2027-01-03'))).toBe('rule_violation:from');
    expect(refusal(() => checkOrderRange('2026-03-02', '2026-03-01'))).toBe('rule_violation:from');
  });

  it('lists the calendar months of the days, newest first', () => {
    expect(monthsNewestFirst('2026-09-15', '2026-11-02', TZ)).toEqual(['2026-11', '2026-10', '2026-09']);
    expect(monthsNewestFirst('2026-12-20', '2027-01-05', TZ)).toEqual(['2027-01', '2026-12']);
  });

  it('a month cut-off moves the edge days to the next month', () => {
    // cut-off on the 25th: 26 October belongs to 2026-11
    expect(monthsNewestFirst('2026-10-26', '2026-10-30', { timeZone: TZ, monthEnds: [{ from: '2000-01', day: 25 }] })).toEqual(['2026-11']);
  });

  it('calendar months are read as they are; with a cut-off, one more month on each side', () => {
    expect(orderListMonths('2026-10-05', '2026-10-20', { timeZone: TZ })).toEqual(['2026-10']);
    // 5 Oct − 31 days = 4 Sep (≤ 25: 2026-09); 20 Oct + 31 days = 20 Nov (2026-11)
    expect(orderListMonths('2026-10-05', '2026-10-20', { timeZone: TZ, monthEnds: [{ from: '2000-01', day: 25 }] })).toEqual([
      '2026-11',
      '2026-10',
      '2026-09',
    ]);
  });
});
