/**
 * Statements, payouts and the nightly plan, pure: which entries settle into which month, what
 * carries over, which statements a batch pays, the bytes of the bank file, the units of a run.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LedgerEntry } from '../../domain/commission/ledger';
import { asOfInstant, monthsToClose, periodsEndingIn, periodsInProgress, planRun } from '../../domain/nightly';
import { BOM, csvField, payoutCsv, selectPayouts, transferNote } from '../../domain/payouts';
import { periodRange } from '../../domain/period';
import { computeStatement, disputeAdjustmentLine, isEmptyStatement } from '../../domain/statements';

const TZ = 'Asia/Ho_Chi_Minh';
const OCT_CUTOFF = periodRange('2026-10', TZ)!.end; // 2026-11-01T00:00+07:00
const NOV_CUTOFF = periodRange('2026-11', TZ)!.end;

let seq = 0;
function entry(over: Partial<LedgerEntry> & { amount: number }): LedgerEntry {
  seq += 1;
  const orderId = (over.source as { orderId?: string } | undefined)?.orderId ?? `O${seq}`;
  return {
    entryId: `k${seq}#1`,
    key: `k${seq}`,
    seq: 1,
    kind: 'basic',
    lineKind: 'basic',
    beneficiary: { type: 'collaborator', id: 'A' },
    state: 'pending',
    periodId: '2026-10',
    carriedForward: false,
    reason: 'accrual',
    source: { type: 'order', orderId, revision: 1 },
    trace: {
      rule: 'basic.default',
      ruleRef: 'basic.default',
      planId: 'main',
      planVersion: 1,
      base: over.amount * 10,
      tier: null,
      rounding: 'half_away_from_zero',
    },
    recordedAt: '2026-10-05T03:00:00.000Z',
    ...over,
  };
}

describe('computeStatement', () => {
  it('settles what became payable by the cut-off and carries the rest, unchanged', () => {
    const delivered = new Map<string, string | null>([
      ['O-early', '2026-10-10T03:00:00.000Z'], // + 7 days = 17 Oct: payable in October
      ['O-late', '2026-10-30T03:00:00.000Z'], // + 7 days = 6 Nov: pending
      ['O-edge', '2026-10-24T16:59:59.999Z'], // + 7 days = 31 Oct 23:59:59.999 local: the last instant of October
      ['O-next', '2026-10-24T17:00:00.000Z'], // + 7 days = 1 Nov 00:00 local: November
    ]);
    const early = entry({ amount: 1_500_000, source: { type: 'order', orderId: 'O-early', revision: 2 } });
    const late = entry({ amount: 50_000, source: { type: 'order', orderId: 'O-late', revision: 2 } });
    const edge = entry({ amount: 7, source: { type: 'order', orderId: 'O-edge', revision: 2 } });
    const next = entry({ amount: 11, source: { type: 'order', orderId: 'O-next', revision: 2 } });
    const undelivered = entry({ amount: 900, source: { type: 'order', orderId: 'O-none', revision: 1 } });
    const award = entry({
      amount: 300_000,
      kind: 'award',
      lineKind: 'award',
      source: { type: 'period', periodId: '2026-10' },
      recordedAt: new Date(OCT_CUTOFF - 1).toISOString(),
    });
    const clawback = entry({
      amount: -20_000,
      kind: 'clawback',
      reason: 'clawback',
      carriedForward: true,
      recordedAt: '2026-10-31T10:00:00.000Z',
      source: { type: 'order', orderId: 'O-late', revision: 3 },
    });
    const s = computeStatement({
      collaboratorId: 'A',
      periodId: '2026-10',
      cutoff: OCT_CUTOFF,
      holdingDays: 7,
      previous: null,
      entries: [late, early, award, edge, next, undelivered, clawback],
      completedAt: (id) => delivered.get(id) ?? null,
    });
    expect(s.lines.map((l) => l.amount)).toEqual([1_500_000, 7, -20_000, 300_000]);
    expect(s.lines.every((l) => l.state === 'settled' && l.settledIn === '2026-10')).toBe(true);
    expect(s.lines.find((l) => l.kind === 'award')!.payableFrom).toBe('2026-10-31T16:59:59.999Z');
    expect(s.pending.map((e) => e.amount)).toEqual([50_000, 11, 900]);
    expect(s.total).toBe(1_500_000 + 7 - 20_000 + 300_000);
    expect(s.byKind).toMatchObject({ basic: 1_500_007, award: 300_000, clawback: -20_000 });
    expect(s.pendingTotal).toBe(50_911);
    expect(s).toMatchObject({ broughtForward: 0, broughtForwardFrom: null, balance: s.total, carriesPrevious: false });

    // November: the pending entries come back and settle once payable; nothing settles twice
    const nov = computeStatement({
      collaboratorId: 'A',
      periodId: '2026-11',
      cutoff: NOV_CUTOFF,
      holdingDays: 7,
      previous: { periodId: '2026-10', status: 'batched', balance: s.balance, pending: s.pending },
      entries: [],
      completedAt: (id) => delivered.get(id) ?? null,
    });
    expect(nov.lines.map((l) => l.amount)).toEqual([50_000, 11]);
    expect(nov.pending.map((e) => e.amount)).toEqual([900]);
    expect(nov).toMatchObject({ total: 50_011, broughtForward: 0, carriesPrevious: false, balance: 50_011 });
  });

  it('brings forward an unpaid balance (below the minimum, a debt, not approved in time), not a batched or paid one', () => {
    const base = { collaboratorId: 'A', periodId: '2026-11', cutoff: NOV_CUTOFF, holdingDays: 7, completedAt: () => null };
    const e = entry({
      amount: 50_000,
      kind: 'adjustment',
      lineKind: 'adjustment',
      source: { type: 'adjustment', adjustmentId: 'x' },
      recordedAt: '2026-11-02T00:00:00.000Z',
      periodId: '2026-11',
    });
    for (const [status, balance, forward] of [
      ['draft', 40_000, 40_000],
      ['approved', 40_000, 40_000],
      ['approved', -1_500_000, -1_500_000],
      ['batched', 520_000, 0],
      ['paid', 520_000, 0],
      ['carried', 90_000, 0],
    ] as const) {
      const s = computeStatement({ ...base, entries: [e], previous: { periodId: '2026-10', status, balance, pending: [] } });
      expect(s.broughtForward, status).toBe(forward);
      expect(s.balance).toBe(50_000 + forward);
      expect(s.carriesPrevious).toBe(status === 'draft' || status === 'approved');
    }
    const debtOnly = computeStatement({
      ...base,
      entries: [],
      previous: { periodId: '2026-10', status: 'approved', balance: -1_500_000, pending: [] },
    });
    expect(isEmptyStatement(debtOnly)).toBe(false);
    expect(debtOnly).toMatchObject({ total: 0, broughtForward: -1_500_000, balance: -1_500_000, broughtForwardFrom: '2026-10' });
    const nothing = computeStatement({ ...base, entries: [], previous: { periodId: '2026-10', status: 'paid', balance: 10, pending: [] } });
    expect(isEmptyStatement(nothing)).toBe(true);
  });

  it('refuses another beneficiary’s entry, and counts an entry met twice once', () => {
    const mine = entry({ amount: 5, source: { type: 'adjustment', adjustmentId: 'a' }, kind: 'adjustment', lineKind: 'adjustment' });
    const base = { collaboratorId: 'A', periodId: '2026-10', cutoff: OCT_CUTOFF, holdingDays: 7, completedAt: () => null };
    const s = computeStatement({
      ...base,
      previous: { periodId: '2026-09', status: 'batched', balance: 0, pending: [mine] },
      entries: [mine],
    });
    expect(s.total).toBe(5);
    const theirs = entry({ amount: 5, beneficiary: { type: 'collaborator', id: 'B' } });
    expect(() => computeStatement({ ...base, previous: null, entries: [theirs] })).toThrow(RangeError);
  });

  it('property: total = Σ lines = Σ byKind; every candidate is either settled or pending, once', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amount: fc.integer({ min: -5_000_000, max: 5_000_000 }),
            days: fc.integer({ min: -40, max: 40 }),
            delivered: fc.boolean(),
          }),
          { maxLength: 40 },
        ),
        fc.integer({ min: 0, max: 30 }),
        (specs, holdingDays) => {
          const delivered = new Map<string, string | null>();
          const entries = specs.map((x, i) => {
            const orderId = `P${i}`;
            delivered.set(orderId, x.delivered ? new Date(OCT_CUTOFF + x.days * 86_400_000).toISOString() : null);
            return entry({ amount: x.amount, source: { type: 'order', orderId, revision: 1 } });
          });
          const s = computeStatement({
            collaboratorId: 'A',
            periodId: '2026-10',
            cutoff: OCT_CUTOFF,
            holdingDays,
            previous: null,
            entries,
            completedAt: (id) => delivered.get(id) ?? null,
          });
          expect(s.total).toBe(s.lines.reduce((sum, l) => sum + l.amount, 0));
          expect(Object.values(s.byKind).reduce((a, b) => a + b, 0)).toBe(s.total);
          expect(s.lines.length + s.pending.length).toBe(entries.length);
          expect(s.total + s.pendingTotal).toBe(entries.reduce((sum, e) => sum + e.amount, 0));
          for (const l of s.lines) expect(Date.parse(l.payableFrom)).toBeLessThan(OCT_CUTOFF);
        },
      ),
    );
  });

  it('books a dispute’s adjustment under a key of its own, with the reason in the trace', () => {
    const line = disputeAdjustmentLine({ id: 'D1', collaboratorId: 'A', periodId: '2026-10', entryId: 'k1#1' }, -30_000, 'Trả hàng');
    expect(line).toMatchObject({
      key: 'a:dispute.D1|adjustment|collaborator:A',
      kind: 'adjustment',
      amount: -30_000,
      source: { type: 'adjustment', adjustmentId: 'dispute.D1' },
    });
    expect(line.trace.rule).toBe('adjustment.penalty');
    expect(line.trace.reason).toContain('Trả hàng');
  });
});

describe('payouts', () => {
  const bank = { bankName: 'Vietcombank', accountNumber: '0011001234567', accountName: 'NGUYEN THI HOA' };
  it('pays approved balances at or above the minimum with a bank account; says why the rest waits', () => {
    const st = [
      { collaboratorId: 'B', periodId: '2026-10', status: 'approved' as const, balance: 1_800_000, bank },
      { collaboratorId: 'A', periodId: '2026-10', status: 'approved' as const, balance: 100_000, bank },
      { collaboratorId: 'C', periodId: '2026-10', status: 'approved' as const, balance: 99_999, bank },
      { collaboratorId: 'D', periodId: '2026-10', status: 'approved' as const, balance: -1_500_000, bank },
      { collaboratorId: 'E', periodId: '2026-10', status: 'draft' as const, balance: 500_000, bank },
      { collaboratorId: 'F', periodId: '2026-10', status: 'approved' as const, balance: 700_000, bank: null },
      { collaboratorId: 'G', periodId: '2026-10', status: 'paid' as const, balance: 700_000, bank },
      { collaboratorId: 'H', periodId: '2026-10', status: 'approved' as const, balance: 0, bank },
    ];
    const sel = selectPayouts(st, 100_000);
    expect(sel.include.map((s) => s.collaboratorId)).toEqual(['A', 'B']);
    expect(sel.total).toBe(1_900_000);
    expect(Object.fromEntries(sel.skipped.map((x) => [x.statement.collaboratorId, x.reason]))).toEqual({
      C: 'below_minimum',
      D: 'negative_balance',
      E: 'not_approved',
      F: 'no_bank_account',
      G: 'not_payable',
      H: 'below_minimum',
    });
    // a minimum of 0 still pays nothing for a zero balance
    expect(selectPayouts(st, 0).include.map((s) => s.collaboratorId)).toEqual(['A', 'B', 'C']);
    expect(() => selectPayouts(st, -1)).toThrow(RangeError);
  });

  it('writes the bank file: BOM, UTF-8 Vietnamese, CRLF, leading zeros kept, formulas neutralised', () => {
    const csv = payoutCsv([
      { refId: 'HOA7K2MX', name: 'Nguyễn Thị Hoa', phone: '+84912345678', bank, amount: 520_000, periodId: '2026-10' },
      {
        refId: 'BIN3QW9Z',
        name: '=HYPERLINK("x")',
        phone: '+84987654321',
        bank: { ...bank, accountName: 'Trần, "Bình"' },
        amount: 1_800_000,
        periodId: '2026-10',
      },
    ]);
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.startsWith(BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(4); // header, 2 rows, the final empty string after the last CRLF
    expect(lines[0]).toBe(
      'STT,Mã CTV,Họ và tên,Số điện thoại,Ngân hàng,Số tài khoản,Chủ tài khoản,Số tiền (VND),Nội dung chuyển khoản,Mã VietQR',
    );
    expect(lines[1]).toBe(
      '1,HOA7K2MX,Nguyễn Thị Hoa,"=""0912345678""",Vietcombank,"=""0011001234567""",NGUYEN THI HOA,520000,HOA HONG 2026-10 HOA7K2MX,',
    ); // no BIN (saved before banks were named by it): no VietQR code
    expect(lines[2]).toBe(
      '2,BIN3QW9Z,"\'=HYPERLINK(""x"")","=""0987654321""",Vietcombank,"=""0011001234567""","Trần, ""Bình""",1800000,HOA HONG 2026-10 BIN3QW9Z,',
    );
    expect(bytes.includes(Buffer.from('Nguyễn Thị Hoa', 'utf8'))).toBe(true);
    expect(() => payoutCsv([{ refId: 'X', name: 'x', phone: '+84912345678', bank, amount: 0, periodId: '2026-10' }])).toThrow(RangeError);
  });

  it('makes transfer descriptions every bank accepts', () => {
    expect(transferNote('2026-10', 'đức9')).toBe('HOA HONG 2026-10 DUC9');
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(-5)).toBe('-5');
  });
});

describe('the nightly plan', () => {
  it('closes every month whose cut-off is at or before asOf, oldest first, skipping closed ones', () => {
    const nov1 = asOfInstant('2026-11-01', TZ)!;
    expect(new Date(nov1).toISOString()).toBe('2026-10-31T17:00:00.000Z');
    expect(monthsToClose(nov1, TZ, '2026-08', [])).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(monthsToClose(nov1, TZ, '2026-08', ['2026-08', '2026-09'])).toEqual(['2026-10']);
    expect(monthsToClose(nov1 - 1, TZ, '2026-08', ['2026-08', '2026-09'])).toEqual([]);
    expect(monthsToClose(asOfInstant('2026-10-31T23:59:59+07:00', TZ)!, TZ, '2026-10', [])).toEqual([]);
    expect(asOfInstant('2026-02-30', TZ)).toBeNull();
    expect(asOfInstant('yesterday', TZ)).toBeNull();
    expect(asOfInstant('2026-11-01T10:00:00', TZ)).toBeNull(); // an instant needs its offset
  });

  it('settles a week with the month of its Sunday, a quarter with its last month', () => {
    // November 2026: Sundays 1, 8, 15, 22, 29 → ISO weeks 44–48
    expect(periodsEndingIn('2026-11', ['week', 'month'], TZ)).toEqual([
      '2026-11',
      '2026-W44',
      '2026-W45',
      '2026-W46',
      '2026-W47',
      '2026-W48',
    ]);
    expect(periodsEndingIn('2026-12', ['month', 'quarter', 'year'], TZ)).toEqual(['2026', '2026-12', '2026-Q4']);
    // January 2000: its first Sunday (2 Jan) ends 1999-W52, a week before the periods kept; the next ones end 9, 16, 23 and 30 Jan
    expect(periodsEndingIn('2000-01', ['week', 'month'], TZ)).toEqual(['2000-01', '2000-W01', '2000-W02', '2000-W03', '2000-W04']);
    expect(periodsEndingIn('2026-11', ['quarter', 'year'], TZ)).toEqual([]);
    expect(periodsInProgress(asOfInstant('2026-11-18', TZ)!, ['week', 'month', 'quarter'], TZ)).toEqual(['2026-11', '2026-Q4', '2026-W47']);
  });

  it('plans closes before snapshots, in chunks, and only changed CTVs unless full', () => {
    const ids = Array.from({ length: 5 }, (_, i) => `C${i}`);
    const asOf = asOfInstant('2026-11-01', TZ)!;
    const phases = planRun({
      asOf,
      timeZone: TZ,
      toClose: ['2026-10'],
      frozen: [],
      collaboratorIds: ids,
      changed: [],
      full: true,
      chunkSize: 2,
    });
    expect(phases.map((p) => [p.name, p.units.length])).toEqual([
      ['close 2026-10: facts', 3],
      ['close 2026-10: period lines', 1],
      ['close 2026-10: levels', 1],
      ['close 2026-10: freeze', 1],
      ['close 2026-10: statements', 4], // 3 chunks of statements + the frozen KPI / OKR results
      ['close 2026-10: finish', 1],
      ['snapshots 2026-11', 4],
      ['finish', 1],
    ]);
    expect(phases[0]!.units.map((u) => u.ids)).toEqual([['C0', 'C1'], ['C2', 'C3'], ['C4']]);
    // a month frozen by a run that crashed: only its statements and finish remain
    const resumed = planRun({
      asOf,
      timeZone: TZ,
      toClose: ['2026-10'],
      frozen: ['2026-10'],
      collaboratorIds: ids,
      changed: ['C3', 'C1', 'C3'],
      full: false,
      chunkSize: 2,
    });
    expect(resumed.map((p) => p.name)).toEqual(['close 2026-10: statements', 'close 2026-10: finish', 'snapshots 2026-11', 'finish']);
    // … and the results are frozen on resuming, since the run that froze the month may have stopped before
    expect(resumed[0]!.units.map((u) => u.kind)).toEqual(['close.statements', 'close.statements', 'close.statements', 'close.results']);
    expect(resumed[2]!.units.map((u) => [u.kind, u.ids])).toEqual([
      ['snapshot.ctvs', ['C1', 'C3']],
      ['snapshot.kpi', undefined],
    ]);
    const quiet = planRun({ asOf, timeZone: TZ, toClose: [], frozen: [], collaboratorIds: [], changed: [], full: false });
    expect(quiet.map((p) => p.units.map((u) => u.kind))).toEqual([['snapshot.kpi'], ['run.finish']]);
  });
});
