import * as z from 'zod';
import { CreatePayoutInput, MarkPaidInput, PayoutView, payoutCsv } from '../../domain/payouts';
import { CsvOrXlsx, XLSX_MEDIA_TYPE } from '../../domain/exports';
import { OWNER, PageQuery, pageOf, route } from './route';

export const PayoutExportQuery = z.strictObject({
  separator: z.enum(['comma', 'semicolon']).default('comma').meta({
    description: 'the field separator: comma, or semicolon for Excel with Vietnamese regional settings (its list separator is ";")',
  }),
  format: CsvOrXlsx,
});

/** The transfer file of one CTV's payout, as the document's example. */
const EXAMPLE_FILE = payoutCsv([
  {
    refId: 'LAN2026',
    name: 'Nguyễn Thị Lan',
    phone: '+84912345678',
    bank: { bin: '970436', bankName: 'Vietcombank', accountNumber: '0071000123456', accountName: 'NGUYEN THI LAN' },
    amount: 1_250_000,
    periodId: '2026-11',
  },
]);

export const payoutRoutes = {
  create: route({
    id: 'createPayout',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/payouts',
    handler: 'functions/handlers/payouts/create.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    body: CreatePayoutInput,
    idempotent: true,
    summary:
      'A payout batch from a month’s approved statements at or above the minimum payout (with bank details); the others carry over at the next close',
    tag: 'payouts',
    responses: { 201: PayoutView },
  }),
  list: route({
    id: 'listPayouts',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/payouts',
    handler: 'functions/handlers/payouts/list.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    query: PageQuery,
    summary: 'Payout batches, newest first',
    tag: 'payouts',
    responses: { 200: pageOf(PayoutView, 'PayoutPage') },
  }),
  get: route({
    id: 'getPayout',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/payouts/{batchId}',
    handler: 'functions/handlers/payouts/get.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    summary: 'A payout batch with its transfers',
    tag: 'payouts',
    responses: { 200: PayoutView },
  }),
  export: route({
    id: 'exportPayout',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/payouts/{batchId}/export',
    handler: 'functions/handlers/payouts/export.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'read',
    query: PayoutExportQuery,
    summary:
      'The bank-transfer file: CSV, UTF-8 with BOM (opens in Excel with Vietnamese names intact); each line with the VietQR payload of its transfer when the CTV’s bank is named by BIN',
    tag: 'payouts',
    produces: ['text/csv', XLSX_MEDIA_TYPE],
    responses: { 200: z.string().meta({ description: 'the transfer file, UTF-8 with a byte-order mark', examples: [EXAMPLE_FILE] }) },
  }),
  markPaid: route({
    id: 'markPayoutPaid',
    method: 'POST',
    path: '/v1/tenants/{tenantId}/payouts/{batchId}/paid',
    handler: 'functions/handlers/payouts/mark-paid.ts',
    auth: 'jwt',
    roles: OWNER,
    table: 'write',
    body: MarkPaidInput,
    summary: 'Mark a batch paid (If-Match): its statements become paid and never change again',
    tag: 'payouts',
    responses: { 200: PayoutView },
  }),
};
