import { jwtVerify, SignJWT } from 'jose';

/** Local stand-in for the Cognito JWT authorizer: HS256 tokens, as API.md says. */
export const LOCAL_ISSUER = 'ctv-local';
export const LOCAL_AUDIENCE = 'ctv-api';
export const DEFAULT_LOCAL_SECRET = 'ctv-local-development-secret-change-me';

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function signLocalToken(
  secret: string,
  sub: string,
  options: { email?: string; expiresIn?: string | number } = {},
): Promise<string> {
  return new SignJWT(options.email ? { email: options.email } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(keyOf(secret));
}

/**
 * Tokens already verified, per secret, with their claims: a token's signature and claims are
 * checked once, and until it expires the same token string is answered from here. Why: jose's
 * HMAC check is WebCrypto's, which runs on libuv's thread pool, and that hop cost ~0.35 ms of
 * every local request here (test/bench/overhead.ts), a sixth of a DynamoDB Local GetItem. Only a
 * token that passed is kept, and it is refused from its `exp` on exactly as jose refuses it.
 */
const verified = new Map<string, Map<string, { claims: Record<string, string>; exp: number }>>();
/** enough for every account of a demo or a test run; when full it starts again, which only costs re-verifying */
const VERIFIED_MAX = 1000;

/** The verified claims, or null for a missing, forged, expired or foreign token. `nowMs`: the instant to check expiry at. */
export async function verifyLocalToken(secret: string, token: string, nowMs = Date.now()): Promise<Record<string, string> | null> {
  let bySecret = verified.get(secret);
  const known = bySecret?.get(token);
  // jose's rule: expired once exp ≤ now in whole seconds
  if (known && Math.floor(nowMs / 1000) < known.exp) return { ...known.claims };
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
      currentDate: new Date(nowMs),
    });
    const claims: Record<string, string> = {};
    for (const [k, v] of Object.entries(payload)) claims[k] = String(v); // API Gateway passes claims as strings
    if (!bySecret) verified.set(secret, (bySecret = new Map()));
    if (bySecret.size >= VERIFIED_MAX) bySecret.clear();
    bySecret.set(token, { claims, exp: payload.exp! });
    return { ...claims };
  } catch {
    return null;
  }
}
