import { gzipSync } from 'node:zlib';
import type { HttpAnswer } from './operation';

/**
 * Large answers are sent gzipped to a client that accepts it. Why: a Lambda's answer is capped at
 * 6 MB, and the longest answers are lists of ledger lines with their traces (an order of 500 lines
 * after a few returns, the statement of a CTV with thousands of lines), which gzip takes to a tenth.
 * API Gateway and the local server send the bytes of a base64 answer as they are, with its
 * Content-Encoding; CloudFront forwards the viewer's Accept-Encoding (caching disabled).
 */
export const COMPRESS_FROM_CHARS = 32 * 1024;

/** Whether an Accept-Encoding value takes gzip (RFC 9110 §12.5.3: `gzip` or `*`, at a q above 0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  let star = false;
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return accepted;
    if (coding === '*') star = accepted;
  }
  return star;
}

/**
 * The most an answer's body may hold: a Lambda's answer (its JSON: status, headers and body) is
 * capped at 6 MB, and past it API Gateway answers its own bare 500.
 */
export const MAX_ANSWER_CHARS = 5.5 * 1024 * 1024;

/** An answer past MAX_ANSWER_CHARS, as it will be sent (after compression): ours to explain, not API Gateway's. */
export const isTooLarge = (answer: HttpAnswer) => answer.body.length > MAX_ANSWER_CHARS;

/** `answer`, gzipped when it is text of COMPRESS_FROM_CHARS or more and the client takes gzip. */
export function compressAnswer(answer: HttpAnswer, acceptEncoding: string | undefined): HttpAnswer {
  if (answer.isBase64Encoded || answer.body.length < COMPRESS_FROM_CHARS || !acceptsGzip(acceptEncoding)) return answer;
  if (Object.keys(answer.headers).some((h) => h.toLowerCase() === 'content-encoding')) return answer;
  const headers = { ...answer.headers };
  const varyName = Object.keys(headers).find((h) => h.toLowerCase() === 'vary') ?? 'vary';
  headers[varyName] = headers[varyName] ? `${headers[varyName]}, Accept-Encoding` : 'Accept-Encoding';
  headers['content-encoding'] = 'gzip';
  return { ...answer, headers, body: gzipSync(answer.body).toString('base64'), isBase64Encoded: true };
}
