/**
 * Cost per operation, in the request units DynamoDB would bill (on-demand): a local server whose
 * store is metered by `meterCapacity` (support.ts): every command asks for ReturnConsumedCapacity,
 * DynamoDB Local's answer is taken for single-item calls, queries and batches, and transactions are
 * computed per item from the items before and after (DynamoDB Local counts the items of a
 * TransactWriteItems that cost the same only once). Reads (Get, Query, BatchGet, TransactGet),
 * table writes (Put, Update, Delete, BatchWrite, TransactWrite) and GSI writes are summed apart.
 * Requests are sent one at a time, so the units between two requests belong to the one between.
 *
 * Measured: a webhook order by number of lines (1, 5, 20; new, next revision, repeated delivery,
 * and the DynamoDB calls of a new order and of a repeated delivery against their budgets),
 * an order read, a CTV's earnings (month, quarter), a collaborator list page, a CTV created by hand,
 * /v1/me, the manager and staff reports, a statement, and a nightly run closing a month (total and
 * per unit of work) for a small business.
 */
import { ROUTES } from '../../functions/routes';
import { signCtv } from '../../functions/webhooks/adapters/signatures';
import { meterCapacity, meterSince, newMeter, round, startApi, startDdb, type BenchResult, type CapacityMeter } from './support';

export async function benchCost(): Promise<BenchResult[]> {
  const ddb = await startDdb();
  const meter = newMeter();
  const app = await startApi(ddb.endpoint, { instrument: (store) => meterCapacity(store, meter) });
  const rows: BenchResult[] = [];
  try {
    const { api } = app;
    const owner = await api.as('cost-owner');
    const must = async (p: Promise<{ status: number; body: any; text: string }>, what: string) => {
      const res = await p;
      if (res.status >= 300) throw new Error(`cost: ${what} → ${res.status} ${res.text.slice(0, 300)}`);
      return res.body;
    };
    /** the units one request costs */
    const measure = async <T>(_what: string, p: () => Promise<T>): Promise<{ result: T } & CapacityMeter> => {
      const before = { ...meter };
      const result = await p();
      // the handler has answered: every command it sent has completed
      return { result, ...meterSince(meter, before) };
    };
    /** DynamoDB calls one request made, the failed ones (a condition that did not hold) included: issue 17's budget */
    const callsRow = (name: string, m: CapacityMeter, budget: number, what: string): BenchResult => {
      const calls = m.calls + m.failed;
      return {
        name,
        value: calls,
        unit: 'calls',
        failed: calls > budget,
        note: `${what}: DynamoDB calls, failed ones included (budget ≤ ${budget})`,
      };
    };
    /** value: table WCU or RCU; GSI writes in the note, apart (see support.ts) */
    const row = (name: string, m: CapacityMeter, main: 'reads' | 'writes', note = '') =>
      rows.push({
        name,
        value: main === 'writes' ? m.writes : m.reads,
        unit: main === 'writes' ? 'WCU' : 'RCU',
        note: `${main === 'writes' ? `+ ${m.indexWrites} GSI WCU, + ${m.reads} RCU` : `+ ${m.writes} WCU, + ${m.indexWrites} GSI WCU`}, ${m.calls} DynamoDB calls${m.failed ? ` (+ ${m.failed} failed, not counted)` : ''}${note ? `; ${note}` : ''}`,
      });

    const tenant = await must(owner.post('/v1/tenants', { name: 'Đo chi phí', pageId: `cost-${Date.now()}` }), 'tenant');
    const base = `/v1/tenants/${tenant.id}`;
    await must(
      owner.post(`${base}/commission-plans`, {
        effectiveFrom: '2026-10-01',
        basic: { default: { percentBp: 1000 }, rules: [{ category: 'serum', percentBp: 1200 }] },
        addOn: { collaboratorPercentBp: 500, sellerPercentBp: 300 },
      }),
      'plan',
    );
    const ctvs: string[] = [];
    for (let i = 0; i < 60; i++) {
      const phone = `090${String(2_000_000 + i).slice(-7)}`;
      const created = await measure('create CTV', () =>
        must(owner.post(`${base}/collaborators`, { name: `Cộng Tác Viên Số ${i}`, phone }), 'CTV'),
      );
      ctvs.push(created.result.id);
      if (i === 59) row('cost.create_collaborator', created, 'writes', 'POST collaborators (CTV + REF ID + phone claims)');
    }
    const source = await must(owner.post(`${base}/webhook-sources`, { name: 'Hệ thống đơn' }), 'source');
    const path = `/v1/webhooks/${tenant.id}/${source.id}/orders`;
    const deliver = (event: unknown) => {
      const raw = JSON.stringify(event);
      return must(
        api.request('POST', path, {
          body: raw,
          headers: { 'x-ctv-signature': signCtv(raw, source.secret, Math.floor(Date.now() / 1000)) },
        }),
        'webhook',
      );
    };
    const eventOf = (n: number, lines: number, revision: number, state: string) => ({
      externalId: `COST-${lines}-${n}`,
      revision,
      state,
      occurredAt: `2026-11-10T${String(8 + revision).padStart(2, '0')}:00:00+07:00`,
      customer: { phone: `091${String(3_000_000 + n * 100 + lines).slice(-7)}`, name: 'Khách đo' },
      lines: Array.from({ length: lines }, (_, l) => ({
        lineId: String(l + 1),
        productId: `SP-${l % 7}`,
        unit: 'chai',
        category: l % 2 ? 'serum' : 'cream',
        quantity: 1 + (l % 3),
        unitPrice: 150_000 + l * 10_000,
        discount: 0,
        addOn: false,
        returnedQuantity: 0,
      })),
      orderDiscount: 0,
      shippingFee: 30_000,
      attribution: { collaboratorId: ctvs[n % ctvs.length], refId: null, couponCode: null, opportunityId: null },
      sellerId: null,
    });

    let orderId5 = '';
    for (const lines of [1, 5, 20]) {
      // warm: a first order of this shape (the plan cache, the binding, the counters are created once)
      await deliver(eventOf(0, lines, 1, 'approved'));
      const created = await measure('new order', () => deliver(eventOf(1, lines, 1, 'approved')));
      if (lines === 5) {
        orderId5 = created.result.orderId;
        rows.push(callsRow('cost.webhook.new_order.calls', created, 4, 'a new 5-line order, approved'));
      }
      row(
        `cost.webhook.new_order.${lines}_line${lines > 1 ? 's' : ''}`,
        created,
        'writes',
        'revision 1, approved: order + ledger lines + earnings totals',
      );
      const next = await measure('next revision', () => deliver(eventOf(1, lines, 2, 'completed')));
      row(`cost.webhook.next_revision.${lines}_line${lines > 1 ? 's' : ''}`, next, 'writes', 'revision 2, completed');
      if (lines === 5) {
        const repeat = await measure('repeat', () => deliver(eventOf(1, lines, 2, 'completed')));
        row('cost.webhook.repeated_delivery', repeat, 'reads', 'the same revision again: applied false, nothing written');
        rows.push(callsRow('cost.webhook.repeated_delivery.calls', repeat, 2, 'the same delivery again'));
      }
    }
    const order = await measure('get order', () => must(owner.get(`${base}/orders/${orderId5}`), 'order'));
    row('cost.get_order.5_lines', order, 'reads', `GET orders/{id} with ${order.result.commissionLines.length} commission lines`);
    const month = await measure('earnings month', () =>
      must(owner.get(`${base}/collaborators/${ctvs[1]}/earnings?period=2026-11`), 'earnings'),
    );
    row('cost.earnings.month', month, 'reads', 'GET collaborators/{id}/earnings?period=2026-11');
    const quarter = await measure('earnings quarter', () =>
      must(owner.get(`${base}/collaborators/${ctvs[1]}/earnings?period=2026-Q4`), 'earnings'),
    );
    row('cost.earnings.quarter', quarter, 'reads', 'period=2026-Q4 (three months)');
    const page = await measure('list', () => must(owner.get(`${base}/collaborators?limit=50`), 'list'));
    row('cost.list_collaborators.page_50', page, 'reads', `GET collaborators?limit=50 → ${page.result.items.length} items`);
    const filtered = await measure('list filtered', () => must(owner.get(`${base}/collaborators?limit=50&level=1`), 'list'));
    row('cost.list_collaborators.page_50_level', filtered, 'reads', 'with ?level=1 (a filter within the partition)');
    const me = await measure('me', () => must(owner.get('/v1/me'), 'me'));
    row('cost.me', me, 'reads', 'GET /v1/me');
    const orders = await measure('list orders', () => must(owner.get(`${base}/orders?from=2026-11-01&to=2026-11-30&limit=50`), 'orders'));
    row('cost.list_orders.page', orders, 'reads', `GET orders (a month) → ${orders.result.items.length} items`);
    for (const id of ['getManagerReport', 'getStaffReport']) {
      const route = ROUTES.find((r) => r.id === id);
      if (!route) continue;
      const url = `${route.path.replace('{tenantId}', tenant.id)}?period=2026-11`;
      const report = await measure(id, () => owner.get(url));
      if (report.result.status < 300)
        row(
          `cost.${id === 'getManagerReport' ? 'report_manager' : 'report_staff'}`,
          report,
          'reads',
          `GET ${url.replace(tenant.id, '{tenantId}')}`,
        );
      else rows.push({ name: `cost.${id}`, value: Number.NaN, unit: 'RCU', note: `answered ${report.result.status}` });
    }

    // October: orders of CTV 1, closed by a nightly run (in-process, on the metered store), then its statement
    for (let i = 1; i <= 3; i++)
      await deliver({ ...eventOf(1 + i * ctvs.length, 3, 1, 'completed'), occurredAt: `2026-10-1${i}T10:00:00+07:00` }); // CTV 1
    const close = await must(owner.post(`${base}/periods/2026-10/close`), 'close');
    const poll = () => must(owner.get(`${base}/jobs/${close.jobId}`), 'job');
    const pollCost = await measure('poll', poll);
    let polls = 0;
    const job = await measure('nightly', async () => {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 500));
        const j = await poll();
        polls++;
        if (j.state === 'succeeded' || j.state === 'failed') return j;
      }
      throw new Error('cost: the nightly run did not finish in 2 minutes');
    });
    // what the run itself used: without the status polls (and the close request's own few units)
    const run = {
      reads: round(job.reads - polls * pollCost.reads, 2),
      writes: round(job.writes - polls * pollCost.writes, 2),
      indexWrites: round(job.indexWrites - polls * pollCost.indexWrites, 2),
      calls: job.calls - polls * pollCost.calls,
    };
    const units = Number(job.result.progress?.total ?? 0);
    rows.push({
      name: 'cost.nightly_close.total',
      value: round(run.reads + run.writes, 1),
      unit: 'CU',
      failed: job.result.state !== 'succeeded',
      note: `${run.reads} RCU + ${run.writes} WCU (+ ${run.indexWrites} GSI WCU), ${run.calls} calls: the run closing 2026-10 for ${ctvs.length} CTVs (${units} units of work; ${job.result.state})`,
    });
    if (units > 0)
      rows.push({
        name: 'cost.nightly_close.per_unit',
        value: round((run.reads + run.writes) / units, 1),
        unit: 'CU',
        note: 'per unit of work of that run, table units (see also the nightly benchmark at scale)',
      });
    const statement = await measure('statement', () => must(owner.get(`${base}/statements/2026-10/${ctvs[1]}`), 'statement'));
    row(
      'cost.statement_read',
      statement,
      'reads',
      `GET statements/2026-10/{ctv} with ${(statement.result.lines ?? []).length + (statement.result.pending ?? []).length} lines`,
    );
    rows.push({
      name: 'cost.meter.transact_writes',
      value: round(meter.transactWrites, 1),
      unit: 'WCU',
      note: `every TransactWriteItems of this benchmark, table + GSI, as the meter counts them; DynamoDB Local reported ${round(meter.localTransactWrites, 1)} for the same calls`,
    });
    return rows;
  } finally {
    await app.close();
    await ddb.stop();
  }
}
