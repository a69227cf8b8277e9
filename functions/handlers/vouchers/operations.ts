import { calendarOf } from '../../../domain/entities/tenant';
import { diffLedger } from '../../../domain/commission/ledger';
import { planInForce } from '../../../domain/commission/plan';
import { adjustmentLines, transitionVoucher, voucherLines, type Adjustment, type IncurredVoucher, type VoucherAction } from '../../../domain/commission/vouchers';
import { canSeeCollaborator, collaboratorScope } from '../../../domain/access';
import { DomainError, notFound, preconditionFailed, ruleViolation } from '../../../domain/errors';
import { periodIdAt } from '../../../domain/period';
import type { Deps } from '../../deps';
import { implement, json } from '../../http/operation';
import { expectedVersion } from '../../http/versions';
import type { Route } from '../../routes/route';
import { voucherRoutes } from '../../routes/vouchers';
import { openPeriodAfter, STATEMENT_CYCLE } from '../../services/orders';
import { getCollaborator } from '../../store/collaborators';
import { getPeriodsState } from '../../store/periods';
import { allPlanVersions } from '../../store/plans';
import { getSettings } from '../../store/tenants';
import { getVoucher, getVoucherLedger, listVouchers, saveVoucher, type StoredVoucher } from '../../store/vouchers';

/** The ledger difference a voucher's change makes: its lines count in the month of its approval. */
async function ledgerChange(deps: Deps, tenantId: string, voucher: StoredVoucher, at: string) {
  const [settings, { closed, version }, plans, existing] = await Promise.all([
    getSettings(deps.store, tenantId),
    getPeriodsState(deps.store, tenantId),
    allPlanVersions(deps.store, tenantId),
    getVoucherLedger(deps.store, tenantId, voucher.id),
  ]);
  const tz = calendarOf(settings);
  const approvedAt = voucher.approvedAt ?? at;
  const plan = planInForce(plans, approvedAt, tz);
  const desired =
    voucher.kind === 'incurred'
      ? voucherLines(voucher as IncurredVoucher, plan ? { planId: plan.planId, planVersion: plan.version, platformFeeBp: plan.platformFeeBp } : {})
      : adjustmentLines(voucher as Adjustment);
  const source = voucher.kind === 'incurred' ? { type: 'voucher' as const, voucherId: voucher.id } : { type: 'adjustment' as const, adjustmentId: voucher.id };
  const entries = diffLedger(existing, desired, {
    recordedAt: at,
    periodId: periodIdAt(Date.parse(approvedAt), STATEMENT_CYCLE, tz),
    openPeriodId: openPeriodAfter(periodIdAt(Date.parse(at), STATEMENT_CYCLE, tz), closed),
    closedPeriodIds: closed,
    source,
  });
  return { entries, closedListVersion: version };
}

function voucherOperations(routes: (typeof voucherRoutes)[keyof typeof voucherRoutes]) {
  const move = (action: VoucherAction) =>
    implement(action === 'approve' ? routes.approve : routes.cancel, async ({ deps, tenantId, params, body, headers, actor }) => {
      const current = await getVoucher(deps.store, tenantId, params.voucherId ?? '');
      if (!current || current.kind !== routes.kind) throw notFound('Voucher');
      const expected = expectedVersion(headers, body.version);
      if (expected !== current.version) throw preconditionFailed('The voucher changed meanwhile; read it again');
      const at = deps.now().toISOString();
      const next = { ...transitionVoucher(current, action, at, actor), applies: current.applies + 1 } as StoredVoucher;
      const { entries, closedListVersion } = await ledgerChange(deps, tenantId, next, at);
      await saveVoucher(deps.store, next, entries, at, closedListVersion);
      return json(200, next, { etag: `"${next.version}"` });
    });
  return {
    create: implement(routes.create as Route<IncurredVoucher | Adjustment, unknown>, async ({ deps, tenantId, body, actor, membership }) => {
      const input = body as IncurredVoucher;
      const named = [input.collaboratorId, ...(input.connecting ? [input.connecting.collaboratorId] : [])];
      let managerUserId: string | undefined;
      for (const [i, id] of named.entries()) {
        const ctv = await getCollaborator(deps.store, tenantId, id);
        const field = i === 0 ? 'collaboratorId' : 'connecting.collaboratorId';
        if (!ctv) throw ruleViolation('No collaborator of this business has this id', field);
        // a manager enters vouchers for their own team's CTVs only
        if (!canSeeCollaborator(membership!, ctv)) throw new DomainError('forbidden', 'A manager enters vouchers only for their own team', [{ path: field, message: 'not in your team' }]);
        if (i === 0) managerUserId = ctv.managerUserId;
      }
      const voucher = {
        ...body,
        id: deps.newId(),
        tenantId,
        kind: routes.kind,
        state: 'processing',
        createdAt: deps.now().toISOString(),
        createdBy: actor,
        version: 1,
        applies: 0,
        // the team the voucher belongs to, as it was at entry: a manager lists their team's only
        ...(managerUserId ? { managerUserId } : {}),
      } as StoredVoucher;
      await saveVoucher(deps.store, voucher, [], voucher.createdAt);
      return json(201, voucher, { etag: '"1"' });
    }),
    list: implement(routes.list, async ({ deps, tenantId, query, membership }) =>
      json(200, await listVouchers(deps.store, tenantId, routes.kind, query, collaboratorScope(membership!).managerUserId)),
    ),
    approve: move('approve'),
    cancel: move('cancel'),
  };
}

export const incurred = voucherOperations(voucherRoutes.incurred);
export const adjustments = voucherOperations(voucherRoutes.adjustments);
