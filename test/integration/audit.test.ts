/**
 * The audit log over HTTP: plans, rosters, approvals, closes and payouts leave who / when / what,
 * with before and after where the operation knows them; secrets never reach it; a refused change
 * leaves nothing; only the owner reads it.
 */
import { describe, expect, it } from 'vitest';
import { ifMatch } from './support/network';
import { NAMES, octoberWorld, ok, runNightly, statementsByName, uid, fileClockServer } from './support/periods';

const s = fileClockServer();

describe('audit log', () => {
  it('records who changed what and when, newest first', async () => {
    const w = await octoberWorld(s);
    const managerId = uid('mgr-');
    s.setNow('2026-10-31T09:00:00+07:00');
    await ok(w.owner.post(`${w.base}/managers`, { userId: managerId, name: 'Lê Thị Mai' }), 201);
    // a refused change is not audited
    expect((await w.owner.post(`${w.base}/managers`, { userId: managerId, name: 'Lê Thị Mai' })).status).toBe(409);

    s.setNow('2026-11-01T02:00:00+07:00');
    expect((await runNightly(s, w, '2026-11-01')).state).toBe('succeeded');
    s.setNow('2026-11-02T09:00:00+07:00');
    const st = await statementsByName(w, '2026-10');
    await ok(
      w.owner.post(`${w.base}/statements/2026-10/${st[NAMES.b].collaboratorId}/approve`, undefined, ifMatch(st[NAMES.b].version)),
      200,
    );
    s.setNow('2026-11-02T09:05:00+07:00');
    const batch = (await ok(w.owner.post(`${w.base}/payouts`, { periodId: '2026-10' }), 201)).body;
    s.setNow('2026-11-03T09:00:00+07:00');
    await ok(w.owner.post(`${w.base}/payouts/${batch.id}/paid`, {}, ifMatch(batch.version)), 200);

    const log = await ok(w.owner.get(`${w.base}/audit?limit=200`), 200);
    const actions = log.body.items.map((e: any) => e.action);
    // newest first
    expect(actions.slice(0, 6)).toEqual([
      'markPayoutPaid',
      'createPayout',
      'approveStatement',
      'closePeriod',
      'startNightlyJob',
      'addManagers',
    ]);
    expect(actions.filter((a: string) => a === 'addManagers')).toHaveLength(1);
    expect(actions).toContain('createCommissionPlanVersion');
    expect(actions).toContain('createWebhookSource');
    const times = log.body.items.map((e: any) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const byAction = (a: string) => log.body.items.find((e: any) => e.action === a);
    expect(byAction('addManagers')).toMatchObject({
      actor: w.owner.sub,
      at: '2026-10-31T02:00:00.000Z',
      after: { userId: managerId, role: 'manager' },
    });
    expect(byAction('createCommissionPlanVersion')).toMatchObject({
      actor: w.owner.sub,
      after: { version: 1, effectiveFrom: '2026-10-01' },
    });
    expect(byAction('closePeriod')).toMatchObject({
      actor: w.owner.sub,
      target: { periodId: '2026-10' },
      before: { state: 'open' },
      after: { state: 'closed', settledPeriods: ['2026-10'] },
    });
    expect(byAction('approveStatement')).toMatchObject({
      target: { periodId: '2026-10', collaboratorId: w.b.id },
      before: { status: 'draft', balance: 1_800_000 },
      after: { status: 'approved', balance: 1_800_000 },
    });
    expect(byAction('createPayout')).toMatchObject({ after: { id: batch.id, count: 1, total: 1_800_000 } });
    expect(byAction('markPayoutPaid')).toMatchObject({
      at: '2026-11-03T02:00:00.000Z',
      before: { status: 'ready' },
      after: { status: 'paid', total: 1_800_000 },
    });
    // the webhook source's signing secret is not in the log
    expect(byAction('createWebhookSource').after.secret).toBe('[redacted]');
    expect(JSON.stringify(log.body)).not.toContain(w.source.secret);

    const onlyPayouts = await ok(w.owner.get(`${w.base}/audit?action=createPayout`), 200);
    expect(onlyPayouts.body.items.map((e: any) => e.action)).toEqual(['createPayout']);
    const window = await ok(w.owner.get(`${w.base}/audit?from=2026-11-02T00:00:00%2B07:00&to=2026-11-02T23:59:59%2B07:00`), 200);
    expect(window.body.items.map((e: any) => e.action).sort()).toEqual(['approveStatement', 'createPayout']);

    const manager = await s.as(managerId);
    expect((await manager.get(`${w.base}/audit`)).status).toBe(403);
    expect((await (await s.as(uid('x-'))).get(`${w.base}/audit`)).status).toBe(404);
  });
});
