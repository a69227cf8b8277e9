import { canEarn, type CollaboratorStatus } from '../entities/collaborator';
import { normalizeVnPhone } from '../phone';

/**
 * Who is credited with an order, and why (DOMAIN.md, "Orders" and "Repurchase"). Pure: the caller
 * has already looked up the facts (the customer's active binding, and the CTV each hint names).
 *
 * 1. A customer bound to a CTV is credited to that CTV, unless the plan says `last_touch` and the
 *    order names another CTV; then that other CTV's hint decides.
 * 2. Otherwise the first hint that names a known CTV wins, in this order: explicit CTV id, REF ID,
 *    opportunity id, coupon code. A hint that names nobody (`'unknown'`) is skipped.
 * 3. Only approved CTVs are credited. A winning CTV that is not approved means nobody is credited
 *    (the sale does not fall through to a weaker hint's CTV).
 * 4. A binding to a *blocked* CTV is treated as ended (the customer is free again); a binding to a
 *    registered or paused CTV still holds the customer, and the order is not credited.
 * 5. Self-order: the customer's phone is the credited CTV's phone. It is flagged (reason
 *    `self_order`, `selfOrder: true`) and the CTV stays on the result: the plan decides later
 *    whether a self-order earns.
 */
export type AttributionRule = 'binding' | 'collaborator_id' | 'ref_id' | 'opportunity' | 'coupon';
export type PlanAttribution = 'binding' | 'last_touch';

export type AttributionReason =
  | 'credited'
  | 'self_order'
  | 'no_hint'
  | 'unknown_collaborator_id'
  | 'unknown_ref_id'
  | 'unknown_opportunity'
  | 'unknown_coupon'
  | 'collaborator_not_approved'
  | 'bound_to_other_collaborator';

export interface CandidateCollaborator {
  id: string;
  status: CollaboratorStatus;
  phone: string;
}

/** A hint as resolved by the caller: the CTV it names, `'unknown'` when it names nobody, absent when the order had no such hint. */
export type ResolvedHint = CandidateCollaborator | 'unknown' | null | undefined;

export interface ActiveBinding {
  collaboratorId: string;
  status: CollaboratorStatus;
  /** when the binding ends (ISO 8601); null or absent for a lifetime binding */
  endsAt?: string | null;
  /** the bound CTV's phone, for the self-order check */
  phone?: string;
}

export interface AttributionFacts {
  /** the customer's binding, if any (see binding.ts: pass the one active at the order's time) */
  binding: ActiveBinding | null;
  planAttribution: PlanAttribution;
  candidates: {
    collaboratorId?: ResolvedHint;
    refId?: ResolvedHint;
    opportunityId?: ResolvedHint;
    couponCode?: ResolvedHint;
  };
  /** the order's customer phone (normalised +84…) */
  customerPhone: string;
  /** the order's time (ISO 8601); when given, a binding whose endsAt is not after it is ignored */
  at?: string;
}

export interface AttributionDecision {
  collaboratorId: string | null;
  rule: AttributionRule | null;
  reason: AttributionReason;
  selfOrder: boolean;
  /** when the binding won over a hint that named another CTV: that hint */
  overriddenHint?: { rule: Exclude<AttributionRule, 'binding'>; collaboratorId: string };
}

/** The hints in DOMAIN.md order, with the rule each one credits by. */
export const HINT_ORDER = [
  { key: 'collaboratorId', rule: 'collaborator_id', unknown: 'unknown_collaborator_id' },
  { key: 'refId', rule: 'ref_id', unknown: 'unknown_ref_id' },
  { key: 'opportunityId', rule: 'opportunity', unknown: 'unknown_opportunity' },
  { key: 'couponCode', rule: 'coupon', unknown: 'unknown_coupon' },
] as const satisfies readonly {
  key: keyof AttributionFacts['candidates'];
  rule: Exclude<AttributionRule, 'binding'>;
  unknown: AttributionReason;
}[];

type HintMatch =
  | { kind: 'match'; rule: Exclude<AttributionRule, 'binding'>; ctv: CandidateCollaborator }
  | { kind: 'none'; reason: AttributionReason };

function firstHintMatch(candidates: AttributionFacts['candidates']): HintMatch {
  let firstUnknown: AttributionReason | null = null;
  for (const h of HINT_ORDER) {
    const resolved = candidates[h.key];
    if (resolved === null || resolved === undefined) continue;
    if (resolved === 'unknown') {
      firstUnknown ??= h.unknown;
      continue;
    }
    return { kind: 'match', rule: h.rule, ctv: resolved };
  }
  return { kind: 'none', reason: firstUnknown ?? 'no_hint' };
}

function samePhone(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const na = normalizeVnPhone(a) ?? a;
  const nb = normalizeVnPhone(b) ?? b;
  return na === nb;
}

function credit(
  rule: AttributionRule,
  ctv: { id: string; status: CollaboratorStatus; phone?: string },
  customerPhone: string,
): AttributionDecision {
  if (!canEarn(ctv)) return { collaboratorId: null, rule, reason: 'collaborator_not_approved', selfOrder: false };
  const selfOrder = samePhone(ctv.phone, customerPhone);
  return { collaboratorId: ctv.id, rule, reason: selfOrder ? 'self_order' : 'credited', selfOrder };
}

function bindingHolds(binding: ActiveBinding | null, at: string | undefined): binding is ActiveBinding {
  if (!binding) return false;
  if (binding.status === 'blocked') return false;
  if (at !== undefined && binding.endsAt) {
    const end = Date.parse(binding.endsAt);
    const t = Date.parse(at);
    if (Number.isFinite(end) && Number.isFinite(t) && t >= end) return false;
  }
  return true;
}

export function decideAttribution(facts: AttributionFacts): AttributionDecision {
  const hint = firstHintMatch(facts.candidates);

  if (bindingHolds(facts.binding, facts.at)) {
    const bound = facts.binding;
    const namesOther = hint.kind === 'match' && hint.ctv.id !== bound.collaboratorId;

    if (namesOther && facts.planAttribution === 'last_touch') {
      return credit(hint.rule, hint.ctv, facts.customerPhone);
    }
    const boundCtv = { id: bound.collaboratorId, status: bound.status, ...(bound.phone ? { phone: bound.phone } : {}) };
    const decision = credit('binding', boundCtv, facts.customerPhone);
    if (namesOther) {
      if (decision.collaboratorId === null) {
        // the customer belongs to a CTV who cannot earn now; the CTV the order names does not get it either
        return { ...decision, reason: 'bound_to_other_collaborator', overriddenHint: { rule: hint.rule, collaboratorId: hint.ctv.id } };
      }
      return { ...decision, overriddenHint: { rule: hint.rule, collaboratorId: hint.ctv.id } };
    }
    return decision;
  }

  if (hint.kind === 'none') return { collaboratorId: null, rule: null, reason: hint.reason, selfOrder: false };
  return credit(hint.rule, hint.ctv, facts.customerPhone);
}
