import { describe, expect, it } from 'vitest';
import { decideAttribution, type AttributionFacts, type CandidateCollaborator } from '../../../domain/orders/attribution';

const CUSTOMER = '+84912345678';
const hoa: CandidateCollaborator = { id: 'CTV-HOA', status: 'approved', phone: '+84987654321' };
const lan: CandidateCollaborator = { id: 'CTV-LAN', status: 'approved', phone: '+84977000111' };
const minh: CandidateCollaborator = { id: 'CTV-MINH', status: 'approved', phone: '+84966000222' };
const paused: CandidateCollaborator = { id: 'CTV-PAUSED', status: 'paused', phone: '+84945000333' };

const facts = (over: Partial<AttributionFacts> = {}): AttributionFacts => ({
  binding: null,
  planAttribution: 'binding',
  candidates: {},
  customerPhone: CUSTOMER,
  ...over,
});

describe('attribution without a binding: the first hint that names a CTV wins', () => {
  it('no hint at all', () => {
    expect(decideAttribution(facts())).toEqual({ collaboratorId: null, rule: null, reason: 'no_hint', selfOrder: false });
  });

  it('each hint on its own credits by its rule', () => {
    expect(decideAttribution(facts({ candidates: { collaboratorId: hoa } }))).toEqual({
      collaboratorId: 'CTV-HOA',
      rule: 'collaborator_id',
      reason: 'credited',
      selfOrder: false,
    });
    expect(decideAttribution(facts({ candidates: { refId: hoa } }))).toMatchObject({ collaboratorId: 'CTV-HOA', rule: 'ref_id' });
    expect(decideAttribution(facts({ candidates: { opportunityId: hoa } }))).toMatchObject({
      collaboratorId: 'CTV-HOA',
      rule: 'opportunity',
    });
    expect(decideAttribution(facts({ candidates: { couponCode: hoa } }))).toMatchObject({ collaboratorId: 'CTV-HOA', rule: 'coupon' });
  });

  it('follows the DOMAIN.md order: CTV id, REF ID, opportunity, coupon', () => {
    const all = { collaboratorId: hoa, refId: lan, opportunityId: minh, couponCode: paused };
    expect(decideAttribution(facts({ candidates: all }))).toMatchObject({ collaboratorId: 'CTV-HOA', rule: 'collaborator_id' });
    expect(decideAttribution(facts({ candidates: { ...all, collaboratorId: null } }))).toMatchObject({
      collaboratorId: 'CTV-LAN',
      rule: 'ref_id',
    });
    expect(decideAttribution(facts({ candidates: { couponCode: lan, opportunityId: minh } }))).toMatchObject({
      collaboratorId: 'CTV-MINH',
      rule: 'opportunity',
    });
  });

  it('a hint that names nobody is skipped', () => {
    expect(decideAttribution(facts({ candidates: { refId: 'unknown', couponCode: lan } }))).toEqual({
      collaboratorId: 'CTV-LAN',
      rule: 'coupon',
      reason: 'credited',
      selfOrder: false,
    });
  });

  it('says which hint named nobody when none did', () => {
    const reason = (c: AttributionFacts['candidates']) => decideAttribution(facts({ candidates: c }));
    expect(reason({ collaboratorId: 'unknown' })).toEqual({
      collaboratorId: null,
      rule: null,
      reason: 'unknown_collaborator_id',
      selfOrder: false,
    });
    expect(reason({ refId: 'unknown' }).reason).toBe('unknown_ref_id');
    expect(reason({ opportunityId: 'unknown' }).reason).toBe('unknown_opportunity');
    expect(reason({ couponCode: 'unknown' }).reason).toBe('unknown_coupon');
    expect(reason({ refId: 'unknown', couponCode: 'unknown' }).reason).toBe('unknown_ref_id');
  });

  it('only approved CTVs are credited, and a weaker hint does not take the sale instead', () => {
    for (const status of ['registered', 'paused', 'blocked'] as const) {
      const ctv = { ...hoa, status };
      expect(decideAttribution(facts({ candidates: { refId: ctv, couponCode: lan } }))).toEqual({
        collaboratorId: null,
        rule: 'ref_id',
        reason: 'collaborator_not_approved',
        selfOrder: false,
      });
    }
  });
});

describe('attribution with a binding', () => {
  const boundToHoa = { collaboratorId: 'CTV-HOA', status: 'approved' as const, endsAt: '2027-11-03T00:00:00Z', phone: hoa.phone };

  it('a bound customer is credited to the bound CTV, whatever channel the order came through', () => {
    expect(decideAttribution(facts({ binding: boundToHoa }))).toEqual({
      collaboratorId: 'CTV-HOA',
      rule: 'binding',
      reason: 'credited',
      selfOrder: false,
    });
  });

  it('the binding wins over another CTV named by the order (plan: binding)', () => {
    expect(decideAttribution(facts({ binding: boundToHoa, candidates: { refId: lan } }))).toEqual({
      collaboratorId: 'CTV-HOA',
      rule: 'binding',
      reason: 'credited',
      selfOrder: false,
      overriddenHint: { rule: 'ref_id', collaboratorId: 'CTV-LAN' },
    });
  });

  it('last-touch: another CTV named by the order takes it', () => {
    expect(decideAttribution(facts({ binding: boundToHoa, planAttribution: 'last_touch', candidates: { couponCode: lan } }))).toEqual({
      collaboratorId: 'CTV-LAN',
      rule: 'coupon',
      reason: 'credited',
      selfOrder: false,
    });
  });

  it('last-touch: the bound CTV named again, or no hint, stays with the binding', () => {
    expect(decideAttribution(facts({ binding: boundToHoa, planAttribution: 'last_touch', candidates: { refId: hoa } }))).toMatchObject({
      collaboratorId: 'CTV-HOA',
      rule: 'binding',
    });
    expect(decideAttribution(facts({ binding: boundToHoa, planAttribution: 'last_touch' }))).toMatchObject({
      collaboratorId: 'CTV-HOA',
      rule: 'binding',
    });
    expect(
      decideAttribution(facts({ binding: boundToHoa, planAttribution: 'last_touch', candidates: { refId: 'unknown' } })),
    ).toMatchObject({ collaboratorId: 'CTV-HOA', rule: 'binding' });
  });

  it('a paused bound CTV: nobody is credited; the CTV the order named loses to the binding', () => {
    const pausedBinding = { ...boundToHoa, status: 'paused' as const };
    expect(decideAttribution(facts({ binding: pausedBinding }))).toEqual({
      collaboratorId: null,
      rule: 'binding',
      reason: 'collaborator_not_approved',
      selfOrder: false,
    });
    expect(decideAttribution(facts({ binding: pausedBinding, candidates: { refId: lan } }))).toEqual({
      collaboratorId: null,
      rule: 'binding',
      reason: 'bound_to_other_collaborator',
      selfOrder: false,
      overriddenHint: { rule: 'ref_id', collaboratorId: 'CTV-LAN' },
    });
  });

  it('a blocked bound CTV frees the customer', () => {
    const blocked = { ...boundToHoa, status: 'blocked' as const };
    expect(decideAttribution(facts({ binding: blocked, candidates: { refId: lan } }))).toMatchObject({
      collaboratorId: 'CTV-LAN',
      rule: 'ref_id',
    });
    expect(decideAttribution(facts({ binding: blocked })).reason).toBe('no_hint');
  });

  it('a binding that ended before the order is ignored when the order time is given', () => {
    const ended = { ...boundToHoa, endsAt: '2026-11-03T03:00:00Z' };
    expect(decideAttribution(facts({ binding: ended, at: '2026-11-03T10:00:00+07:00', candidates: { refId: lan } }))).toMatchObject({
      collaboratorId: 'CTV-LAN',
      rule: 'ref_id',
    });
    expect(decideAttribution(facts({ binding: ended, at: '2026-11-03T09:59:59+07:00' }))).toMatchObject({
      collaboratorId: 'CTV-HOA',
      rule: 'binding',
    });
  });
});

describe('self-orders', () => {
  it('flags an order whose customer is the credited CTV, however the phone was written', () => {
    const self = { ...hoa, phone: '0912 345 678' };
    expect(decideAttribution(facts({ candidates: { refId: self } }))).toEqual({
      collaboratorId: 'CTV-HOA',
      rule: 'ref_id',
      reason: 'self_order',
      selfOrder: true,
    });
  });

  it('flags a self-order through the binding', () => {
    const binding = { collaboratorId: 'CTV-HOA', status: 'approved' as const, phone: CUSTOMER };
    expect(decideAttribution(facts({ binding }))).toEqual({
      collaboratorId: 'CTV-HOA',
      rule: 'binding',
      reason: 'self_order',
      selfOrder: true,
    });
  });

  it('is not a self-order when nobody is credited', () => {
    const selfButPaused = { ...paused, phone: CUSTOMER };
    expect(decideAttribution(facts({ candidates: { refId: selfButPaused } }))).toMatchObject({
      selfOrder: false,
      reason: 'collaborator_not_approved',
    });
  });
});
