/**
 * Incurred-commission vouchers and manual adjustments (DOMAIN.md "Money rules"): entered by an
 * owner or a manager (processing), then approved, when their lines reach the ledger, or cancelled,
 * when an approved one is reversed. Each change is posted to the ledger (services/ledger-posting.ts)
 * in the voucher's own transaction.
 */
import { canSeeCollaborator } from '../../domain/access';
import { planInForce } from '../../domain/commission/plan';
import {
  adjustmentLines,
  transitionVoucher,
  voucherLines,
  type Adjustment,
  type CreateAdjustmentInput,
  type CreateIncurredVoucherInput,
  type IncurredVoucher,
  type VoucherAction,
} from '../../domain/commission/vouchers';
import { calendarOf } from '../../domain/entities/tenant';
import type { Membership } from '../../domain/entities/roster';
import { DomainError, notFound, preconditionFailed, ruleViolation } from '../../domain/errors';
import type { Deps } from '../deps';
import { getCollaborator } from '../store/collaborators';
import { getPeriodsState } from '../store/periods';
import { allPlanVersions } from '../store/plans';
import { getSettings } from '../store/tenants';
import { getVoucher, getVoucherLedger, saveVoucher, type StoredVoucher, type VoucherKind } from '../store/vouchers';
import { postToLedger } from './ledger-posting';

/**
 * Enter a voucher (processing, version 1). Every CTV it names must be of this business, and a
 * manager enters vouchers for their own team's CTVs only; the voucher keeps the team it was
 * entered for, so a manager lists their team's only.
 */
export async function createVoucher(
  deps: Deps,
  tenantId: string,
  kind: VoucherKind,
  input: CreateIncurredVoucherInput | CreateAdjustmentInput,
  who: { actor: string; membership: Membership },
): Promise<StoredVoucher> {
  const named = [input.collaboratorId, ...('connecting' in input && input.connecting ? [input.connecting.collaboratorId] : [])];
  let managerUserId: string | undefined;
  for (const [i, id] of named.entries()) {
    const ctv = await getCollaborator(deps.store, tenantId, id);
    const field = i === 0 ? 'collaboratorId' : 'connecting.collaboratorId';
    if (!ctv) throw ruleViolation('No collaborator of this business has this id', field);
    if (!canSeeCollaborator(who.membership, ctv))
      throw new DomainError('forbidden', 'A manager enters vouchers only for their own team', [
        { path: field, message: 'not in your team' },
      ]);
    if (i === 0) managerUserId = ctv.managerUserId;
  }
  const voucher = {
    ...input,
    id: deps.newId(),
    tenantId,
    kind,
    state: 'processing',
    createdAt: deps.now().toISOString(),
    createdBy: who.actor,
    version: 1,
    applies: 0,
    ...(managerUserId ? { managerUserId } : {}),
  } as StoredVoucher;
  await saveVoucher(deps.store, voucher, []);
  return voucher;
}

/**
 * Approve or cancel a voucher over the version read (else 412), posting the ledger's difference in
 * the same transaction: an approval books its lines in the month of its approval, a cancellation
 * reverses what an approval booked (into the open month when that one is closed).
 */
export async function moveVoucher(
  deps: Deps,
  tenantId: string,
  kind: VoucherKind,
  voucherId: string,
  change: { action: VoucherAction; expectedVersion: number; actor: string },
): Promise<StoredVoucher> {
  const current = await getVoucher(deps.store, tenantId, voucherId);
  if (!current || current.kind !== kind) throw notFound('Voucher');
  if (change.expectedVersion !== current.version) throw preconditionFailed('The voucher changed meanwhile; read it again');
  const at = deps.now().toISOString();
  const next = { ...transitionVoucher(current, change.action, at, change.actor), applies: current.applies + 1 } as StoredVoucher;

  const [settings, closed, plans, held] = await Promise.all([
    getSettings(deps.store, tenantId),
    getPeriodsState(deps.store, tenantId),
    allPlanVersions(deps.store, tenantId),
    getVoucherLedger(deps.store, tenantId, next.id),
  ]);
  const tz = calendarOf(settings);
  // an incurred voucher pays the plan's platform fee in force at its approval
  const plan = planInForce(plans, next.approvedAt ?? at, tz);
  const desired =
    next.kind === 'incurred'
      ? voucherLines(
          next as IncurredVoucher,
          plan ? { planId: plan.planId, planVersion: plan.version, platformFeeBp: plan.platformFeeBp } : {},
        )
      : adjustmentLines(next as Adjustment);
  const posting = postToLedger(deps.store, {
    tenantId,
    source: { type: 'voucher', voucherId: next.id, kind: next.kind, apply: next.applies, approvedAt: next.approvedAt ?? null },
    desired,
    held,
    at,
    timeZone: tz,
    closed,
  });
  await saveVoucher(deps.store, next, posting.items);
  return next;
}
