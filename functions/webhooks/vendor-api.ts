import type { VendorApiInput, WebhookKind } from '../../domain/entities/webhook-source';
import { invalid } from '../../domain/errors';
import type { Deps } from '../deps';
import type { StoredWebhookSource } from '../store/webhook-sources';
import { VendorApiError, type FetchJson, type VendorApi } from './adapters/adapter';
import { adapterFor } from './adapters/registry';
import { openSecret, sealSecret, secretContext, type Keyring } from './secrets';

/**
 * A vendor's REST API for what its webhooks lack (WooCommerce's per-line refunds; KiotViet's
 * customer phone and returns), reached with the credentials the owner gave the source. How each
 * vendor authenticates is its adapter's (`WebhookAdapter.api`); this module opens the sealed
 * credentials and makes the HTTP calls.
 */

/** How long one call to a vendor may take: the worker retries a delivery whose call timed out. */
const VENDOR_TIMEOUT_MS = 5_000;
/** The most of a vendor's answer we read (a list of an order's refunds or returns is far smaller). */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * The credentials are refused (400, naming the field) for a kind whose adapter reads no REST API,
 * and plain http is refused in AWS: a vendor's API is https; http is for a local fake only (Lambda's
 * loopback holds the runtime API, which an owner's URL must never reach).
 */
export function checkVendorApi(kind: WebhookKind, api: VendorApiInput, env: NodeJS.ProcessEnv = process.env): void {
  if (!adapterFor(kind).api) throw invalid([{ path: 'api', message: `a ${kind} source reads no vendor REST API` }]);
  const inAws = !!env.AWS_LAMBDA_FUNCTION_NAME;
  for (const field of ['baseUrl', 'tokenUrl'] as const) {
    const url = api[field];
    if (url && inAws && !url.startsWith('https://')) throw invalid([{ path: `api.${field}`, message: 'an https URL' }]);
  }
}

export function sealVendorApi(key: Keyring, api: VendorApiInput, context: string): NonNullable<StoredWebhookSource['api']> {
  return {
    baseUrl: api.baseUrl.replace(/\/+$/, ''),
    ...(api.tokenUrl ? { tokenUrl: api.tokenUrl } : {}),
    ...(api.account ? { account: api.account } : {}),
    key: sealSecret(key, api.key, context),
    secret: sealSecret(key, api.secret, context),
  };
}

/** The source's vendor API, or null when it holds no credentials (or its kind reads none). */
export function vendorApiOf(deps: Deps, source: StoredWebhookSource, fetchJson: FetchJson = httpFetchJson): VendorApi | null {
  const make = adapterFor(source.kind).api;
  if (!source.api || !make) return null;
  const context = secretContext(source.tenantId, source.id);
  const credentials = {
    baseUrl: source.api.baseUrl,
    ...(source.api.tokenUrl ? { tokenUrl: source.api.tokenUrl } : {}),
    ...(source.api.account ? { account: source.api.account } : {}),
    key: openSecret(deps.secretsKey(), source.api.key, context),
    secret: openSecret(deps.secretsKey(), source.api.secret, context),
  };
  return make(credentials, fetchJson);
}

/** One HTTP call answering parsed JSON; a timeout or a network failure throws (the delivery is retried). */
export const httpFetchJson: FetchJson = async (url, init) => {
  const response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(VENDOR_TIMEOUT_MS) });
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) throw new VendorApiError(response.status, `the answer of ${new URL(url).host} is too large`);
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw new VendorApiError(response.status, `the answer of ${new URL(url).host} is not JSON`);
  }
  return { status: response.status, body };
};
