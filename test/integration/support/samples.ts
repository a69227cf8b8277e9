import * as z from 'zod';
import type { Route } from '../../../functions/routes/route';
import { unique } from './http';
import { freshPhone, KPI_PLAN, sampleOrderEvent, WORLD_MONTH, type World } from './world';

/**
 * A valid body and query for any route, so the security suites reach past validation (a request
 * that is refused for its body proves nothing about authorisation). Known routes have a hand-made
 * sample; a route added later gets one generated from its zod schema's JSON Schema, checked with
 * the schema itself (`sampleBody(...).valid`).
 */
type Json = unknown;
type Sample = (w: World) => Json;

const KNOWN_BODIES: Record<string, Sample> = {
  createTenant: () => ({ name: 'Cửa hàng mẫu', pageId: unique('page-') }),
  updateSettings: () => ({ holdingDays: 7 }),
  addManagers: () => ({ userId: unique('mgr-'), name: 'Lê Thị Mai' }),
  addCareStaff: (w) => ({ userId: unique('care-'), name: 'Phạm Văn Đức', managerUserId: w.manager.sub }),
  addSellers: () => ({ userId: unique('seller-'), name: 'Đặng Quốc Huy' }),
  createInvitation: () => ({ role: 'seller', name: 'Đặng Quốc Huy', phone: freshPhone('097') }),
  createCollaborator: (w) => ({ name: 'Nguyễn Thị Hoa', phone: freshPhone('093'), careStaffUserId: w.care.sub }),
  updateCollaborator: () => ({ note: 'ghi chú' }),
  approveCollaborator: () => ({}),
  pauseCollaborator: () => ({}),
  resumeCollaborator: () => ({}),
  blockCollaborator: () => ({ reason: 'thử' }),
  assignCollaboratorCareStaff: (w) => ({ careStaffUserId: w.care.sub }),
  importCollaborators: () => ({ csv: `name,phone\nNguyễn Văn Nhập,${freshPhone('097')}\n`, dryRun: true }),
  registerOnPage: () => ({ name: 'Ngô Thị Đăng Ký', phone: freshPhone('097') }),
  joinPage: () => ({ name: 'Ngô Văn Tham Gia', phone: freshPhone('097') }),
  createOpportunity: () => ({ customerName: 'Khách mới', customerPhone: freshPhone('091'), productInterest: 'Kem 50g' }),
  moveOpportunity: () => ({ state: 'contacted' }),
  createStaffGroup: () => ({ name: unique('Nhóm ') }),
  addStaffGroupMember: (w) => ({ userId: w.care.sub }),
  createWebhookSource: () => ({ name: 'Nguồn mẫu' }),
  rotateWebhookSecret: () => ({ overlapHours: 24 }),
  receiveOrderWebhook: (w) =>
    sampleOrderEvent({ attribution: { collaboratorId: w.ctv.id, refId: null, couponCode: null, opportunityId: null } }),
  createOrder: (w) => {
    const {
      revision: _r,
      occurredAt: _o,
      ...rest
    } = sampleOrderEvent({ attribution: { collaboratorId: w.ctv.id, refId: null, couponCode: null, opportunityId: null } });
    return { ...rest, state: 'processing' };
  },
  changeOrderState: () => ({ action: 'complete' }),
  createCommissionPlanVersion: () => ({ effectiveFrom: '2026-12-01', basic: { default: { percentBp: 900 } } }),
  previewCommissionPlan: () => ({
    plan: { effectiveFrom: '2026-01-01', basic: { default: { percentBp: 1200 } } },
    from: '2026-11-01',
    to: '2026-11-30',
  }),
  createKpiPlan: () => KPI_PLAN,
  addKpiPlanVersion: () => ({ ...KPI_PLAN, effectiveFrom: '2026-12-01' }),
  createKpiAssignment: (w) => ({ planId: w.extra.planId, staffGroupId: w.group.id, effectiveFrom: '2026-11-01' }),
  createObjective: (w) => ({
    managerUserId: w.manager.sub,
    period: '2026-12',
    title: 'Tăng CSAT',
    weightBp: 10000,
    keyResults: [{ title: 'CSAT', start: 0, target: 90, weightBp: 10000 }],
  }),
  updateKeyResult: () => ({ current: 45 }),
  recordFeedback: () => ({ stars: 5, comment: 'Hài lòng' }),
  submitFeedbackByLink: () => ({ stars: 4 }),
  createIncurredCommission: (w) => ({
    collaboratorId: w.ctv.id,
    lines: [{ productId: 'SERUM-30', quantity: 1, endUserPrice: 400000, percentBp: 500 }],
  }),
  createAdjustment: (w) => ({ collaboratorId: w.ctv.id, type: 'bonus', amount: 50000, reason: 'thưởng' }),
  approveIncurredCommission: () => ({}),
  cancelIncurredCommission: () => ({}),
  approveAdjustment: () => ({}),
  cancelAdjustment: () => ({}),
  startNightlyJob: () => ({ asOf: '2026-11-01' }),
  createPayout: () => ({ periodId: WORLD_MONTH }),
  markPayoutPaid: () => ({ reference: 'UNC-001' }),
  openMyDispute: (w) => ({ entryId: w.extra.entryId, message: 'Sao thiếu hoa hồng?' }),
  resolveDispute: () => ({ outcome: 'rejected', reason: 'Đúng theo chính sách' }),
};

const KNOWN_QUERIES: Record<string, (w: World) => Record<string, string>> = {
  getCollaboratorEarnings: () => ({ period: WORLD_MONTH }),
  getSellerEarnings: () => ({ period: WORLD_MONTH }),
  listOrders: () => ({ from: `${WORLD_MONTH}-01`, to: `${WORLD_MONTH}-31` }),
  getKpiResults: () => ({ period: WORLD_MONTH }),
  getOkrResults: () => ({ period: WORLD_MONTH }),
  getManagerReport: () => ({ period: WORLD_MONTH }),
  getStaffReport: () => ({ period: WORLD_MONTH }),
};

export function sampleBody(route: Route<any, any>, w: World): { value: Json; valid: boolean; generated: boolean } {
  if (!route.body) return { value: undefined, valid: true, generated: false };
  const known = KNOWN_BODIES[route.id];
  const value = known ? known(w) : exampleFromSchema(z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
  return { value, valid: route.body.safeParse(value).success, generated: !known };
}

export function sampleQuery(route: Route<any, any>, w: World): { value: Record<string, string>; valid: boolean } {
  if (!route.query) return { value: {}, valid: true };
  const known = KNOWN_QUERIES[route.id];
  let value: Record<string, string> = {};
  if (known) value = known(w);
  else if (!route.query.safeParse({}).success) {
    const generated = exampleFromSchema(z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as JsonSchema) as Record<
      string,
      unknown
    >;
    value = Object.fromEntries(Object.entries(generated ?? {}).map(([k, v]) => [k, String(v)]));
  }
  return { value, valid: route.query.safeParse(value).success };
}

export const queryString = (q: Record<string, string>) => {
  const s = new URLSearchParams(q).toString();
  return s ? `?${s}` : '';
};

// ------------------------------------------------------------------------------------------------
// A minimal valid instance of a JSON Schema (draft 2020-12 as zod writes it): required properties
// only, the smallest allowed sizes, the first option of a union.

export type JsonSchema = Record<string, any>;

const FORMATS: Record<string, string> = {
  email: 'hoa@example.vn',
  date: '2026-11-01',
  'date-time': '2026-11-03T10:15:00+07:00',
  uri: 'https://example.vn/',
  url: 'https://example.vn/',
  uuid: '3f2a8e52-6a7c-4c1e-9d8b-2f1f5b8e9a10',
  time: '10:15:00',
};

export function exampleFromSchema(schema: JsonSchema | boolean, root: JsonSchema = schema as JsonSchema, depth = 0): Json {
  if (schema === true || schema === false || depth > 20) return null;
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!;
    return exampleFromSchema(root.$defs?.[name] ?? root.definitions?.[name] ?? {}, root, depth + 1);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) {
      const options = schema[key] as JsonSchema[];
      const nonNull = options.find((o) => o.type !== 'null') ?? options[0]!;
      return exampleFromSchema(nonNull, root, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s: JsonSchema) => exampleFromSchema(s, root, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const name of (schema.required as string[] | undefined) ?? []) {
        out[name] = exampleFromSchema(schema.properties?.[name] ?? {}, root, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(1, schema.minItems ?? 0);
      return Array.from({ length: n }, (_, i) => {
        const item = exampleFromSchema(schema.items ?? {}, root, depth + 1);
        // keep ids in arrays distinct (lineId and the like)
        return item && typeof item === 'object' && !Array.isArray(item)
          ? Object.fromEntries(Object.entries(item).map(([k, v]) => [k, /id$/i.test(k) && typeof v === 'string' ? `${v}${i || ''}` : v]))
          : item;
      });
    }
    case 'string': {
      if (schema.format && FORMATS[schema.format]) return FORMATS[schema.format];
      if (schema.pattern && /\^\[0-9\]/.test(schema.pattern)) return '1'.repeat(Math.max(schema.minLength ?? 6, 6));
      const min = schema.minLength ?? 1;
      const base = 'mau';
      return base.padEnd(min, 'x').slice(0, schema.maxLength ?? Math.max(min, base.length));
    }
    case 'integer':
    case 'number': {
      const lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      const hi = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Number.MAX_SAFE_INTEGER);
      return Math.min(Math.max(1, lo), hi);
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return schema.properties ? exampleFromSchema({ ...schema, type: 'object' }, root, depth + 1) : 'mau';
  }
}
