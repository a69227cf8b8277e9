import type { Calendar, MonthEnd } from '../period';
import * as z from 'zod';
import { text } from '../text';
import { DEFAULT_TIME_ZONE, isValidTimeZone } from '../period';

/** A business's public page id: what CTVs look up to register. Unique across businesses, case-insensitively. */
export const PageId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, 'a page id is 2–64 letters, digits, dots, dashes or underscores')
  .meta({ description: 'Public page id of the business', example: 'my-pham-hoa' });

export const CreateTenantInput = z
  .strictObject({
    name: text(200).meta({ example: 'Mỹ phẩm Hoa Sen' }),
    pageId: PageId,
  })
  .meta({ id: 'CreateTenantInput' });
export type CreateTenantInput = z.infer<typeof CreateTenantInput>;

export interface Tenant {
  id: string;
  name: string;
  pageId: string;
  ownerUserId: string;
  createdAt: string;
}
export const TenantView = z
  .object({
    id: z.string(),
    name: z.string(),
    pageId: z.string(),
    ownerUserId: z.string(),
    createdAt: z.string(),
    parkedDeliveries: z
      .int()
      .optional()
      .meta({ description: 'owner only: order deliveries parked for the owner (GET …/webhook-deliveries)' }),
  })
  .meta({ id: 'Tenant' });

/** One step of the CSAT table: a share of 4–5★ at or above `minPercentBp` gives `coefficient`. */
export const CsatStep = z.strictObject({
  minPercentBp: z.int().min(0).max(10_000),
  coefficient: z.number().min(0).max(10).multipleOf(0.01),
});

export const CsatSettings = z.strictObject({
  steps: z.array(CsatStep).min(1).max(10),
  /** below every step */
  fallbackCoefficient: z.number().min(0).max(10).multipleOf(0.01),
  /** fewer ratings than this: `belowMinimumCoefficient`, flagged */
  minRatings: z.int().min(0).max(100_000),
  belowMinimumCoefficient: z.number().min(0).max(10).multipleOf(0.01),
});

export const DEFAULT_CSAT: z.infer<typeof CsatSettings> = {
  steps: [
    { minPercentBp: 9000, coefficient: 1.2 },
    { minPercentBp: 8000, coefficient: 1.0 },
    { minPercentBp: 7000, coefficient: 0.8 },
  ],
  fallbackCoefficient: 0.5,
  minRatings: 10,
  belowMinimumCoefficient: 1.0,
};

const TimeZone = z.string().refine(isValidTimeZone, 'not an IANA time zone (for example Asia/Ho_Chi_Minh)');

/** What the owner configures. Periods end at calendar cut-offs (Sunday, month, quarter, year end) in `timeZone`. */
export const SettingsFields = z.strictObject({
  timeZone: TimeZone,
  /** return window: commission becomes payable this many days after completion */
  holdingDays: z.int().min(0).max(365),
  /** statements below this (VND) carry over to the next period */
  minimumPayout: z.int().min(0).max(1_000_000_000),
  /** self-registered CTVs start approved instead of registered */
  autoApproveRegistrations: z.boolean(),
  csat: CsatSettings,
  /** the day months end on (1–28), or null for the calendar month's last day (DOMAIN.md, "Periods") */
  monthEndDay: z.int().min(1).max(28).nullable().meta({
    description:
      "the day months end on, 1–28 (25: 2026-11 runs 26 Oct – 25 Nov), or null for the calendar month's last day; a change applies to every month not yet closed",
  }),
  /** how long audit entries are kept (then expire by TTL) */
  auditRetentionDays: z.int().min(30).max(3650).meta({ description: 'days an audit entry is kept (default 730: 2 years)' }),
});
export type SettingsFields = z.infer<typeof SettingsFields>;

export const DEFAULT_SETTINGS: SettingsFields = {
  timeZone: DEFAULT_TIME_ZONE,
  holdingDays: 7,
  minimumPayout: 100_000,
  autoApproveRegistrations: false,
  csat: DEFAULT_CSAT,
  monthEndDay: null,
  auditRetentionDays: 730,
};

export const UpdateSettingsInput = SettingsFields.partial()
  .extend({ version: z.int().min(1).optional().meta({ description: 'the version read; or send If-Match' }) })
  .meta({ id: 'UpdateSettingsInput' });
export type UpdateSettingsInput = z.infer<typeof UpdateSettingsInput>;

export interface Settings extends SettingsFields {
  /** every cut-off day with the first month it applies to (kept by `withMonthEndDay`; absent: calendar months) */
  monthEnds?: MonthEnd[];
  version: number;
  updatedAt: string;
  updatedBy: string;
}
export const SettingsView = SettingsFields.extend({
  monthEnds: z
    .array(z.object({ from: z.string(), day: z.int().nullable() }))
    .optional()
    .meta({
      description: 'read-only: each cut-off day with the first month it applies to (closed months keep the rule they closed under)',
    }),
  version: z.int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
}).meta({ id: 'Settings' });

/** How a business's periods fall: its zone and its month cut-offs. */
export const calendarOf = (settings: Pick<Settings, 'timeZone' | 'monthEnds'>): Calendar =>
  settings.monthEnds && settings.monthEnds.length > 0
    ? { timeZone: settings.timeZone, monthEnds: settings.monthEnds }
    : { timeZone: settings.timeZone };

/**
 * The cut-offs after a change of `monthEndDay`, decided once the first month not yet closed is
 * known: the new day applies from that month on (a rule recorded for a later month is replaced),
 * closed months keep the rule they closed under. With no month closed, the new day is the only rule.
 */
export function withMonthEndDay(monthEnds: readonly MonthEnd[] | undefined, day: number | null, firstOpenMonth: string | null): MonthEnd[] {
  if (firstOpenMonth === null) return [{ from: '2000-01', day }];
  const kept = (monthEnds ?? [{ from: '2000-01', day: null }]).filter((e) => e.from < firstOpenMonth);
  return [...(kept.length ? kept : [{ from: '2000-01', day: null }]), { from: firstOpenMonth, day }];
}

/** CSAT steps must be listed from the highest threshold down, so the first step reached is the one that applies. */
export function checkCsatSteps(steps: z.infer<typeof CsatStep>[]): string | null {
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]!.minPercentBp >= steps[i - 1]!.minPercentBp) return `csat.steps.${i}.minPercentBp`;
  }
  return null;
}
