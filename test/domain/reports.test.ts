import { describe, expect, it } from 'vitest';
import type { CsatResult } from '../../domain/okr/csat';
import { kpiSummary, managerRow, staffRow, type ReportCounters, type ReportKpi } from '../../domain/reports';

const counters = (c: Partial<ReportCounters> = {}): ReportCounters => ({
  createdOrders: 0,
  createdApproved: 0,
  createdVoid: 0,
  approvedOrders: 0,
  completedOrders: 0,
  revenue: 0,
  activeCollaborators: 0,
  newCollaborators: 0,
  totalCollaborators: 0,
  ...c,
});

// 4 orders created (3 approved, 1 void), 2 approved in the period (1 completed)
const busy = counters({
  createdOrders: 4,
  createdApproved: 3,
  createdVoid: 1,
  approvedOrders: 2,
  completedOrders: 1,
  revenue: 1_500_000,
  activeCollaborators: 2,
  newCollaborators: 1,
  totalCollaborators: 5,
});

describe('staffRow (BC Nhân viên)', () => {
  it('names the counters and gives the rates in basis points', () => {
    expect(staffRow({ userId: 'cs1', name: 'Lan', managerUserId: 'm1' }, busy)).toEqual({
      userId: 'cs1',
      name: 'Lan',
      managerUserId: 'm1',
      revenue: 1_500_000,
      orders: 2,
      createdOrders: 4,
      completedOrders: 1,
      voidOrders: 1,
      confirmationRateBp: 7_500, // 3 of 4 created
      completionRateBp: 5_000, // 1 of 2 approved
      cancelRateBp: 2_500, // 1 of 4 created
      totalCollaborators: 5,
      newCollaborators: 1,
      activeCollaborators: 2,
    });
  });

  it('rates of no order are 0 and a missing manager is null', () => {
    expect(staffRow({ userId: 'cs2', name: 'Minh' }, counters())).toMatchObject({
      managerUserId: null,
      confirmationRateBp: 0,
      completionRateBp: 0,
      cancelRateBp: 0,
    });
  });
});

describe('managerRow (BC Quản lý)', () => {
  const kpi: ReportKpi = {
    plan: { id: 'P1', version: 2 },
    score: 0.8,
    scoreBp: 8_000,
    award: 400_000,
    conditions: [
      {
        indicator: 'revenue',
        comparator: 'gte',
        actual: 1_500_000,
        target: 2_000_000,
        achievementBp: 7_500,
        weightBp: 10_000,
        holds: false,
      },
    ],
  };
  const csat: CsatResult = { ratings: 10, positive: 9, percentBp: 9_000, coefficient: 1.1, flagged: false };

  it('sums the team’s rows and keeps each care staff’s KPI progress', () => {
    const row = managerRow(
      { userId: 'm1', name: 'Hoa' },
      '2026-10',
      [
        { entry: { userId: 'cs1', name: 'Lan', managerUserId: 'm1' }, counters: busy, kpi },
        {
          entry: { userId: 'cs2', name: 'Minh', managerUserId: 'm1' },
          counters: counters({ revenue: 500_000, approvedOrders: 1, totalCollaborators: 3, activeCollaborators: 1 }),
          kpi: null,
        },
      ],
      csat,
      120_000,
    );
    expect(row).toMatchObject({
      managerUserId: 'm1',
      name: 'Hoa',
      period: '2026-10',
      network: { totalCollaborators: 8, newCollaborators: 1, activeCollaborators: 3 }, // 5 + 3, 1 + 0, 2 + 1
      revenue: 2_000_000, // 1,500,000 + 500,000
      orders: 3, // 2 + 1
      commissionOwed: 120_000,
      csat,
    });
    expect(row.careStaff.map((r) => [r.userId, r.kpi?.planVersion ?? null])).toEqual([
      ['cs1', 2],
      ['cs2', null],
    ]);
    expect(row.careStaff[0]!.kpi!.conditions).toEqual([
      { indicator: 'revenue', actual: 1_500_000, target: 2_000_000, achievementBp: 7_500, holds: false },
    ]);
  });

  it('an empty team sums to zero', () => {
    expect(managerRow({ userId: 'm2', name: 'Tú' }, '2026-W42', [], csat, null)).toMatchObject({
      careStaff: [],
      revenue: 0,
      orders: 0,
      commissionOwed: null,
    });
  });

  it('kpiSummary of no plan is null', () => {
    expect(kpiSummary(null)).toBeNull();
    expect(kpiSummary(undefined)).toBeNull();
  });
});
