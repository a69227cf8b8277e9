import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, COMPRESS_FROM_CHARS, compressAnswer } from '../../functions/http/compression';

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
