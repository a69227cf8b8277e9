import { createHash } from 'node:crypto';
import {
  customerPhoneOfDocument,
  kiotVietChanges,
  kiotVietLookupNeeds,
  NO_LOOKUPS,
  parseKiotVietDelivery,
  returnsOfPage,
  type KiotVietDelivery,
  type KiotVietLookups,
  type KiotVietReturn,
} from '../../../domain/orders/adapters/kiotviet';
import {
  readJsonBody,
  VendorApiError,
  verdictOf,
  type FetchJson,
  type ReadContext,
  type VendorApi,
  type VendorCredentials,
  type WebhookAdapter,
} from './adapter';
import { KIOTVIET_SIGNATURE_HEADER, verifyKiotVietSignature } from './signatures';

/**
 * KiotViet (VENDORS.md §3): invoice.update deliveries (docs/order-systems/kiotviet.md), signed with
 * `X-Hub-Signature` (verifyKiotVietSignature in ./signatures.ts), and the Public API for what they
 * lack: the customer's phone and the returns recorded against an invoice.
 */

export const KIOTVIET_TOKEN_URL = 'https://id.kiotviet.vn/connect/token';

/** A token is used until this long before KiotViet says it expires (it is issued for 24 h). */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** Tokens kept by one process (one per source's credentials; the oldest is dropped beyond). */
const MAX_TOKENS = 200;
/** `GET /returns` pages are at most 100 returns (docs/returns.md). */
const RETURNS_PAGE_SIZE = 100;
/** The most returns read for one invoice's lookup: past it the delivery is retried, then parked with the reason. */
const MAX_RETURNS_PAGES = 20;

interface CachedToken {
  token: Promise<string>;
  /** the token once received (to drop it when KiotViet refuses it) */
  value?: string;
  /** epoch ms after which a new token is requested (Infinity while the request is under way) */
  renewAt: number;
}
/**
 * Tokens by credentials, kept across deliveries: a source's API client is made per delivery, and
 * KiotViet's token endpoint need not be asked every time. The key is a hash: no secret is kept as a
 * map key.
 */
const tokens = new Map<string, CachedToken>();

const tokenOf = (body: unknown): { accessToken: string; expiresInMs: number } | null => {
  const b = body as { access_token?: unknown; expires_in?: unknown } | null;
  if (!b || typeof b.access_token !== 'string' || b.access_token === '') return null;
  const seconds = typeof b.expires_in === 'number' && Number.isFinite(b.expires_in) ? b.expires_in : 0;
  return { accessToken: b.access_token, expiresInMs: seconds * 1000 };
};

/**
 * KiotViet's Public API (docs/authentication.md): an OAuth2 client-credentials token from the token
 * endpoint, then every call with `Authorization: Bearer …` and `Retailer: <the shop's name>`.
 */
export function kiotVietApi(credentials: VendorCredentials, fetchJson: FetchJson): VendorApi {
  const tokenUrl = credentials.tokenUrl ?? KIOTVIET_TOKEN_URL;
  const baseUrl = credentials.baseUrl.replace(/\/+$/, '');
  const cacheKey = createHash('sha256').update(`${tokenUrl}\n${credentials.key}\n${credentials.secret}`).digest('hex');

  async function requestToken(): Promise<{ accessToken: string; expiresInMs: number }> {
    const body = new URLSearchParams({
      scopes: 'PublicApi.Access',
      grant_type: 'client_credentials',
      client_id: credentials.key,
      client_secret: credentials.secret,
    }).toString();
    const answer = await fetchJson(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    if (answer.status < 200 || answer.status >= 300)
      throw new VendorApiError(answer.status, `KiotViet refused the token request (${answer.status})`);
    const token = tokenOf(answer.body);
    if (!token) throw new VendorApiError(answer.status, 'KiotViet answered the token request without an access_token');
    return token;
  }

  function accessToken(): Promise<string> {
    const cached = tokens.get(cacheKey);
    if (cached && Date.now() < cached.renewAt) return cached.token;
    // concurrent calls of one delivery share one request
    const entry: CachedToken = { token: Promise.resolve(''), renewAt: Infinity };
    entry.token = requestToken().then(
      ({ accessToken: value, expiresInMs }) => {
        entry.value = value;
        entry.renewAt = Date.now() + expiresInMs - TOKEN_MARGIN_MS;
        return value;
      },
      (error: unknown) => {
        // a failed request is not kept: the next call asks again
        if (tokens.get(cacheKey) === entry) tokens.delete(cacheKey);
        throw error;
      },
    );
    tokens.delete(cacheKey);
    tokens.set(cacheKey, entry);
    if (tokens.size > MAX_TOKENS) tokens.delete(tokens.keys().next().value!);
    return entry.token;
  }

  async function get(path: string, query: Record<string, string> | undefined, token: string) {
    const search = query && Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : '';
    return fetchJson(`${baseUrl}${path}${search}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, retailer: credentials.account ?? '', accept: 'application/json' },
    });
  }

  return {
    async getJson(path, query) {
      if (!credentials.account) throw new VendorApiError(0, 'KiotViet API credentials need the retailer name (account)');
      const token = await accessToken();
      let answer = await get(path, query, token);
      if (answer.status === 401) {
        // revoked or expired early: one new token, once
        if (tokens.get(cacheKey)?.value === token) tokens.delete(cacheKey);
        answer = await get(path, query, await accessToken());
      }
      if (answer.status < 200 || answer.status >= 300)
        throw new VendorApiError(answer.status, `KiotViet answered ${answer.status} to GET ${path}`);
      return answer.body;
    },
  };
}

/** The customer's phone, or null when KiotViet no longer has the customer (the order is taken without it). */
async function customerPhone(api: VendorApi, customerId: string): Promise<string | null> {
  try {
    return customerPhoneOfDocument(await api.getJson(`/customers/${encodeURIComponent(customerId)}`), customerId);
  } catch (error) {
    if (error instanceof VendorApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * The returns recorded against an invoice. `GET /returns` has no invoice filter (docs/returns.md):
 * the returns modified since the invoice's purchase are read page by page and kept when they name it.
 */
async function invoiceReturns(api: VendorApi, invoiceId: string, since: string): Promise<KiotVietReturn[]> {
  const found: KiotVietReturn[] = [];
  let currentItem = 0;
  for (let page = 0; page < MAX_RETURNS_PAGES; page++) {
    const answer = await api.getJson('/returns', {
      lastModifiedFrom: since,
      pageSize: String(RETURNS_PAGE_SIZE),
      currentItem: String(currentItem),
    });
    const { total, count, returns } = returnsOfPage(answer, invoiceId);
    found.push(...returns);
    currentItem += count;
    if (count === 0 || currentItem >= total) return found;
  }
  throw new Error(`more than ${MAX_RETURNS_PAGES * RETURNS_PAGE_SIZE} KiotViet returns since ${since} to search for invoice ${invoiceId}`);
}

/** Everything the delivery's invoices need from the API, asked at once (KiotViet waits 5 s for our answer). */
export async function lookUp(api: VendorApi, delivery: KiotVietDelivery): Promise<KiotVietLookups> {
  const needs = kiotVietLookupNeeds(delivery);
  const customerPhones = new Map<string, string | null>();
  const returns = new Map<string, KiotVietReturn[]>();
  await Promise.all([
    ...needs.customerIds.map(async (id) => void customerPhones.set(id, await customerPhone(api, id))),
    ...needs.invoices.map(async ({ invoiceId, since }) => void returns.set(invoiceId, await invoiceReturns(api, invoiceId, since))),
  ]);
  return { customerPhones, returns };
}

async function read(body: Uint8Array, context: ReadContext) {
  const delivery = parseKiotVietDelivery(readJsonBody(body));
  const lookups = context.api ? await lookUp(context.api, delivery) : NO_LOOKUPS;
  return kiotVietChanges(delivery, context, lookups);
}

export const kiotviet: WebhookAdapter = {
  kind: 'kiotviet',
  verify: ({ headers, body, secrets }) => verdictOf(verifyKiotVietSignature(body, headers[KIOTVIET_SIGNATURE_HEADER], secrets)),
  read,
  // KiotViet's delivery id is the envelope's `Id`, inside the body: the body's hash names the delivery
  deliveryIdHeaders: [],
  api: kiotVietApi,
};
