import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { invalid } from '../../domain/errors';
import { makeDeps } from '../../functions/deps';
import { acceptsGzip, COMPRESS_FROM_CHARS, compressAnswer, MAX_ANSWER_CHARS } from '../../functions/http/compression';
import { implement, json, toLambda, type HttpEvent } from '../../functions/http/operation';
import { createStore } from '../../functions/store/client';

describe('acceptsGzip: what an Accept-Encoding header allows (RFC 9110)', () => {
  it('takes gzip when named or covered by *, at any q above 0', () => {
    for (const value of ['gzip', 'gzip, deflate, br', 'br;q=1.0, gzip;q=0.8, *;q=0.1', 'GZIP', 'x-gzip', '*', 'deflate, *;q=0.5'])
      expect(acceptsGzip(value), value).toBe(true);
  });
  it('refuses it when absent, at q=0, or refused by name though * is allowed', () => {
    for (const value of [undefined, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip; q=0.000', '*;q=0', '*, gzip;q=0'])
      expect(acceptsGzip(value), String(value)).toBe(false);
  });
});

describe('compressAnswer', () => {
  const big = JSON.stringify({ items: Array.from({ length: 2_000 }, (_, i) => ({ id: i, kind: 'basic', amount: 10_000 })) });
  const answer = (body: string, headers: Record<string, string> = {}) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body,
  });

  it('gzips a large answer for a client that takes gzip, and the bytes are the answer', () => {
    expect(big.length).toBeGreaterThan(COMPRESS_FROM_CHARS);
    const out = compressAnswer(answer(big, { Vary: 'Origin' }), 'gzip, deflate, br');
    expect(out.isBase64Encoded).toBe(true);
    expect(out.headers).toMatchObject({
      'content-encoding': 'gzip',
      Vary: 'Origin, Accept-Encoding',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(gunzipSync(Buffer.from(out.body, 'base64')).toString('utf8')).toBe(big);
    expect(out.body.length).toBeLessThan(big.length / 5);
  });

  it('leaves it as it is for a small answer, a client without gzip, a file, or an answer already encoded', () => {
    const small = answer('{"id":1}');
    expect(compressAnswer(small, 'gzip')).toBe(small);
    const plain = answer(big);
    expect(compressAnswer(plain, 'identity')).toBe(plain);
    expect(compressAnswer(plain, undefined)).toBe(plain);
    const file = { ...answer(Buffer.from(big).toString('base64')), isBase64Encoded: true };
    expect(compressAnswer(file, 'gzip')).toBe(file);
    const encoded = answer(big, { 'Content-Encoding': 'br' });
    expect(compressAnswer(encoded, 'gzip')).toBe(encoded);
  });
});

describe('the wrapper sends large answers gzipped, and explains one past what a Lambda can send', () => {
  // a public stand-in route answering `chars` characters of JSON (no table read)
  const sizedRoute = {
    id: 'sizedProbe',
    method: 'GET' as const,
    path: '/v1/sized-probe',
    handler: 'test-only',
    auth: 'public' as const,
    table: 'none' as const,
    query: z.strictObject({ chars: z.coerce.number().int(), random: z.enum(['yes', 'no']) }),
    summary: 'test only',
    tag: 'test',
    responses: {},
  };
  const probe = implement(sizedRoute as never, async ({ query }: { query: { chars: number; random: 'yes' | 'no' } }) => {
    // a bad input naming thousands of fields: a large problem answer
    if (query.chars < 0) throw invalid(Array.from({ length: 2_000 }, (_, i) => ({ path: `rows.${i}.phone`, message: 'not a phone' })));
    // random text does not shrink under gzip; repeated text does
    const text = query.random === 'yes' ? randomBytes((query.chars * 3) / 4).toString('base64') : 'đơn hàng '.repeat(query.chars / 9);
    return json(200, { text });
  });
  const logs: Record<string, unknown>[] = [];
  const store = createStore({ tableName: 'unused', endpoint: 'http://127.0.0.1:9' });
  const handler = toLambda(probe, makeDeps({ store, log: (e) => void logs.push(e) }));
  const call = (chars: number, random: 'yes' | 'no', acceptEncoding?: string) =>
    handler(
      {
        rawPath: '/v1/sized-probe',
        headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {},
        queryStringParameters: { chars: String(chars), random },
        isBase64Encoded: false,
        requestContext: { requestId: 'api-req-1', http: { method: 'GET', path: '/v1/sized-probe' } },
      } as unknown as HttpEvent,
      { awsRequestId: 'sized-test' } as Context,
    );
  const MB = 1_048_576;

  it('gzips 7 MB of text that shrinks, for a client that takes gzip: under the cap, and the bytes are the answer', async () => {
    const res = await call(7 * MB, 'no', 'gzip, deflate, br');
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-encoding']).toBe('gzip');
    expect(res.body.length).toBeLessThan(MAX_ANSWER_CHARS);
    expect(JSON.parse(gunzipSync(Buffer.from(res.body, 'base64')).toString('utf8')).text).toHaveLength(7 * MB - ((7 * MB) % 9));
  });

  it('answers 500 answer_too_large naming the way out, logged, instead of a bare failure past 6 MB', async () => {
    const plain = await call(7 * MB, 'no');
    expect(plain.statusCode).toBe(500);
    const problem = JSON.parse(plain.body);
    expect(problem).toMatchObject({ type: 'urn:ctv-cloud:problem:answer_too_large', instance: 'urn:ctv-cloud:request:api-req-1' });
    expect(problem.detail).toContain('Accept-Encoding: gzip');
    const random = await call(7 * MB, 'yes', 'gzip');
    expect(random.statusCode).toBe(500);
    expect(JSON.parse(random.body).detail).not.toContain('Accept-Encoding');
    expect(logs.filter((l) => l.msg === 'answer too large')).toHaveLength(2);
    // a large problem is named before it is gzipped: its instance is in the bytes sent
    const bad = await call(-1, 'no', 'gzip');
    expect([bad.statusCode, bad.headers?.['content-encoding']]).toEqual([400, 'gzip']);
    const named = JSON.parse(gunzipSync(Buffer.from(bad.body, 'base64')).toString('utf8'));
    expect(named).toMatchObject({ status: 400, instance: 'urn:ctv-cloud:request:api-req-1' });
    expect(named.errors).toHaveLength(2_000);
    // just under the cap, plain: sent as it is
    const under = await call(MAX_ANSWER_CHARS - 64, 'no');
    expect(under.statusCode).toBe(200);
    expect(under.headers?.['content-encoding']).toBeUndefined();
  });
});
