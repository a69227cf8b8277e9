/**
 * CORS, written once for API Gateway's CORS settings (infra/api-stack.ts: in AWS it answers CORS
 * itself), the handlers' own CORS headers and the local server's preflight.
 */

/** Headers a browser may send. x-ctv-signature: a partner may sign a webhook call from a browser. */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-ctv-signature'];

/**
 * Answer headers a browser lets the front end's script read (beyond the CORS-safelisted few):
 * every header the OpenAPI document declares, so a version, a created item's address, a replay, a
 * workbook's next page and how long to wait before a retry all reach the script.
 */
export const CORS_EXPOSE_HEADERS = ['ETag', 'Idempotent-Replayed', 'Location', 'Link', 'Retry-After'];
