import * as z from 'zod';
import { CreateAdjustmentInput, CreateIncurredVoucherInput } from '../../domain/commission/vouchers';
import { OWNER, PageQuery, pageOf, route } from './route';

const VoucherView = z
  .object({
    id: z.string(),
    kind: z.enum(['incurred', 'adjustment']),
    state: z.enum(['processing', 'approved', 'cancelled']),
    version: z.int(),
  })
  .loose()
  .meta({ id: 'Voucher' });
const VersionBody = z.strictObject({ version: z.int().min(1).optional() }).meta({ id: 'VersionInput' });

/** Incurred commissions and adjustments share their life: create (processing), approve, cancel. */
function voucherRoutesFor<B>(segment: string, kind: 'incurred' | 'adjustment', body: z.ZodType<B>, name: string, label: string) {
  const base = `/v1/tenants/{tenantId}/${segment}`;
  const file = (op: string) => `functions/handlers/vouchers/${segment}-${op}.ts`;
  const common = { auth: 'jwt' as const, tag: 'commissions', table: 'write' as const };
  return {
    kind,
    create: route({
      ...common,
      id: `create${name}`,
      method: 'POST',
      path: base,
      handler: file('create'),
      roles: ['owner', 'manager'],
      body,
      idempotent: true,
      summary: `Enter ${label} (processing until approved)`,
      responses: { 201: VoucherView },
    }),
    list: route({
      ...common,
      id: `list${name}s`,
      method: 'GET',
      path: base,
      handler: file('list'),
      roles: ['owner', 'manager'],
      table: 'read',
      query: PageQuery,
      summary: `${label}, newest first`,
      responses: { 200: pageOf(VoucherView, `${name}Page`) },
    }),
    approve: route({
      ...common,
      id: `approve${name}`,
      method: 'POST',
      path: `${base}/{voucherId}/approve`,
      handler: file('approve'),
      roles: OWNER,
      body: VersionBody,
      summary: `Approve ${label}: its lines reach the ledger`,
      responses: { 200: VoucherView },
    }),
    cancel: route({
      ...common,
      id: `cancel${name}`,
      method: 'POST',
      path: `${base}/{voucherId}/cancel`,
      handler: file('cancel'),
      roles: OWNER,
      body: VersionBody,
      summary: `Cancel ${label}; an approved one is reversed`,
      responses: { 200: VoucherView },
    }),
  };
}

export const voucherRoutes = {
  incurred: voucherRoutesFor(
    'incurred-commissions',
    'incurred',
    CreateIncurredVoucherInput,
    'IncurredCommission',
    'an incurred-commission voucher',
  ),
  adjustments: voucherRoutesFor('adjustments', 'adjustment', CreateAdjustmentInput, 'Adjustment', 'a manual adjustment (bonus or penalty)'),
};
