import type { Adjustment, IncurredVoucher, VoucherAction } from '../../../domain/commission/vouchers';
import { collaboratorScope } from '../../../domain/access';
import { implement, json } from '../../http/operation';
import { expectedVersion } from '../../http/versions';
import type { Route } from '../../routes/route';
import { voucherRoutes } from '../../routes/vouchers';
import { createVoucher, moveVoucher } from '../../services/vouchers';
import { listVouchers } from '../../store/vouchers';

/** The four operations of one voucher kind (incurred commissions, adjustments): adapters of services/vouchers.ts. */
function voucherOperations(routes: (typeof voucherRoutes)[keyof typeof voucherRoutes]) {
  const move = (action: VoucherAction) =>
    implement(action === 'approve' ? routes.approve : routes.cancel, async ({ deps, tenantId, params, body, headers, actor }) => {
      const next = await moveVoucher(deps, tenantId, routes.kind, params.voucherId ?? '', {
        action,
        expectedVersion: expectedVersion(headers, body.version),
        actor,
      });
      return json(200, next, { etag: `"${next.version}"` });
    });
  return {
    create: implement(
      routes.create as Route<IncurredVoucher | Adjustment, unknown>,
      async ({ deps, tenantId, body, actor, membership }) => {
        const voucher = await createVoucher(deps, tenantId, routes.kind, body, { actor, membership: membership! });
        return json(201, voucher, { etag: '"1"' });
      },
    ),
    list: implement(routes.list, async ({ deps, tenantId, query, membership }) =>
      json(200, await listVouchers(deps.store, tenantId, routes.kind, query, collaboratorScope(membership!).managerUserId)),
    ),
    approve: move('approve'),
    cancel: move('cancel'),
  };
}

export const incurred = voucherOperations(voucherRoutes.incurred);
export const adjustments = voucherOperations(voucherRoutes.adjustments);
