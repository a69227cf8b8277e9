/**
 * Nightly run cost, in the request units DynamoDB would bill (`meterCapacity`, support.ts: DynamoDB
 * Local's ReturnConsumedCapacity for single-item calls, queries and batches; transactions computed
 * per item, since Local counts the items of a TransactWriteItems that cost the same only once; GSI
 * writes apart): a business of N CTVs (default 1,000), each with an October order (approved,
 * completed) and a November order; the plan has basic, a monthly award and referral, so every
 * phase has work. Measured, each on the same data:
 *   - close: the run as of 1 Nov that closes October (facts, period lines, statements) and takes
 *     every November snapshot
 *   - full: a run that recomputes every CTV's snapshot (mode full)
 *   - 1%: a run after 1% of the CTVs had an order (each change marked, as the order transaction
 *     does — see docs/nightly.md, "changed since")
 *   - quiet: a run after a day without changes
 * The figure the issue asks for is 1% ÷ full (capacity units). The rest of "1%" is the run's fixed
 * cost (plan, settings, the KPI / OKR snapshots of the month, the job's own items).
 *
 * Alone: npx tsx test/bench/nightly.ts [ctvs]
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { performance } from 'node:perf_hooks';
import { DEFAULT_SETTINGS } from '../../domain/entities/tenant';
import { makeDeps, type Deps } from '../../functions/deps';
import { createNightlyJob, runJobInProcess } from '../../functions/jobs/nightly';
import { mapLimit } from '../../functions/jobs/data';
import { addCollaborator } from '../../functions/services/collaborators';
import { applyOrderEvent } from '../../functions/services/orders';
import { createStore } from '../../functions/store/client';
import { putPlanVersion } from '../../functions/store/plans';
import { changeMarkerItems } from '../../functions/store/snapshots';
import { createTenant } from '../../functions/store/tenants';
import { ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb';
import { meterCapacity, meterSince, newMeter, type BenchResult } from './support';

const TZ = 'Asia/Ho_Chi_Minh';
let phoneSeq = 10_000_000;

function order(externalId: string, collaboratorId: string, state: string, occurredAt: string, revision: number, qty: number) {
  return {
    externalId,
    revision,
    state: state as 'approved',
    occurredAt,
    customer: { phone: `+8491${String(++phoneSeq).slice(-7)}`, name: 'Khách' },
    lines: [
      {
        lineId: '1',
        productId: 'SERUM-30',
        unit: 'chai',
        category: 'serum',
        quantity: qty,
        unitPrice: 250_000,
        discount: 0,
        addOn: false,
        returnedQuantity: 0,
      },
    ],
    orderDiscount: 0,
    shippingFee: 0,
    attribution: { collaboratorId, refId: null, couponCode: null, opportunityId: null },
    sellerId: null,
  };
}

export async function benchNightly(ctvCount = Number(process.env.BENCH_NIGHTLY_CTVS ?? 1000)): Promise<BenchResult[]> {
  const ddb = await startDynamoDbLocal();
  const tableName = 'ctv-bench-nightly';
  const meter = newMeter();
  try {
    await ensureTable(ddb.endpoint, tableName);
    const store = createStore({ tableName, endpoint: ddb.endpoint });
    let clock = Date.parse('2026-10-01T08:00:00+07:00');
    const deps: Deps = makeDeps({ store, now: () => new Date(clock), log: () => undefined });
    const setClock = (local: string) => {
      clock = Date.parse(local);
    };

    // the business, its plan, its CTVs (every tenth referred by the one before), their orders
    const tenantId = deps.newId();
    const at = deps.now().toISOString();
    await createTenant(
      store,
      { id: tenantId, name: 'Bench', pageId: `bench-${tenantId.toLowerCase()}`, ownerUserId: 'bench-owner', createdAt: at },
      {
        ...DEFAULT_SETTINGS,
        timeZone: TZ,
        version: 1,
        updatedAt: at,
        updatedBy: 'bench-owner',
      },
    );
    await putPlanVersion(store, {
      id: 'main.v1',
      tenantId,
      planId: 'main',
      version: 1,
      createdAt: at,
      createdBy: 'bench-owner',
      effectiveFrom: '2026-10-01',
      basic: { default: { percentBp: 1000 } },
      awards: [{ cycle: 'month', minQuantity: 5, percentBp: 200 }],
      referral: { level1Bp: 300 },
    });
    const ids: string[] = [];
    const refIds: string[] = [];
    for (let i = 0; i < ctvCount; i++) {
      const outcome = await addCollaborator(
        deps,
        tenantId,
        {
          name: `CTV ${i}`,
          phone: `+8498${String(1_000_000 + i).slice(-7)}`,
          ...(i % 10 !== 0 && refIds.length ? { referrerRefId: refIds[refIds.length - 1] } : {}),
        },
        { status: 'approved', source: 'manual', actor: 'bench-owner' },
      );
      if (!outcome.created) throw new Error('bench: a CTV was not created');
      ids.push(outcome.collaborator.id);
      refIds.push(outcome.collaborator.refId);
    }
    setClock('2026-10-10T10:00:00+07:00');
    await mapLimit(ids, 8, (id, i) =>
      applyOrderEvent(deps, tenantId, 'bench', order(`OCT-${i}`, id, 'completed', '2026-10-10T10:00:00+07:00', 1, 1 + (i % 9))),
    );
    setClock('2026-11-01T01:00:00+07:00');
    await mapLimit(ids, 8, (id, i) =>
      applyOrderEvent(deps, tenantId, 'bench', order(`NOV-${i}`, id, 'approved', '2026-11-01T01:00:00+07:00', 1, 1 + (i % 7))),
    );

    meterCapacity(store, meter);
    const run = async (asOf: string, mode: 'auto' | 'full') => {
      const before = { ...meter };
      const t0 = performance.now();
      const { job } = await createNightlyJob(deps, tenantId, { asOf, mode, requestedBy: 'bench' });
      const done = await runJobInProcess(deps, tenantId, job.id, { concurrency: 8 });
      if (done.state !== 'succeeded') throw new Error(`bench: the run as of ${asOf} ${done.state}: ${done.error}`);
      // ms includes the meter's own reads around each transaction (two BatchGetItems)
      const used = meterSince(meter, before);
      return { ...used, ms: performance.now() - t0, snapshots: done.summary?.snapshots ?? 0, units: used.reads + used.writes };
    };

    setClock('2026-11-01T02:00:00+07:00');
    const close = await run('2026-11-01', 'auto');
    setClock('2026-11-02T02:00:00+07:00');
    const full = await run('2026-11-02', 'full');

    // 1% of the CTVs sell on 2 Nov; each order change marks its CTV (the order transaction's marker)
    const active = ids.filter((_, i) => i % 100 === 7).slice(0, Math.max(1, Math.round(ctvCount / 100)));
    setClock('2026-11-02T10:00:00+07:00');
    for (const [i, id] of active.entries()) {
      await applyOrderEvent(deps, tenantId, 'bench', order(`NOV2-${i}`, id, 'approved', '2026-11-02T10:00:00+07:00', 1, 3));
      await store.db.send(
        new TransactWriteCommand({ TransactItems: changeMarkerItems(store, tenantId, [id], new Date(clock).toISOString()) }),
      );
    }
    setClock('2026-11-03T02:00:00+07:00');
    const onePercent = await run('2026-11-03', 'auto');
    setClock('2026-11-04T02:00:00+07:00');
    const quiet = await run('2026-11-04', 'auto');

    const ratio = onePercent.units / full.units;
    const withIndexes = (onePercent.units + onePercent.indexWrites) / (full.units + full.indexWrites);
    const note = (r: typeof close) =>
      `${Math.round(r.reads)} read + ${Math.round(r.writes)} write units (+ ${Math.round(r.indexWrites)} GSI write units), ${r.calls} calls${r.failed ? ` (+ ${r.failed} failed)` : ''}, ` +
      `${r.snapshots} snapshots, ${Math.round(r.ms)} ms; transactions ${Math.round(r.transactWrites)} units (Local said ${Math.round(r.localTransactWrites)})`;
    return [
      {
        name: 'nightly.close+full (units)',
        value: Math.round(close.units),
        unit: 'capacity units',
        note: `closes October for ${ctvCount} CTVs: ${note(close)}`,
      },
      { name: 'nightly.full (units)', value: Math.round(full.units), unit: 'capacity units', note: note(full) },
      {
        name: 'nightly.1% active (units)',
        value: Math.round(onePercent.units),
        unit: 'capacity units',
        note: `${active.length} CTVs changed: ${note(onePercent)}`,
      },
      { name: 'nightly.quiet (units)', value: Math.round(quiet.units), unit: 'capacity units', note: note(quiet) },
      {
        name: 'nightly.1% ÷ full',
        value: Math.round(ratio * 10_000) / 100,
        unit: '%',
        note: `capacity (reads + table writes) of a run where 1% of CTVs changed, over a full recompute; ${Math.round(withIndexes * 10_000) / 100}% with GSI writes`,
      },
      { name: 'nightly.full per CTV', value: Math.round((full.units / ctvCount) * 100) / 100, unit: 'units / CTV' },
    ];
  } finally {
    await ddb.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  benchNightly(n).then(
    (rows) => console.table(rows),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
