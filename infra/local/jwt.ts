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

/** The verified claims, or null for a missing, forged, expired or foreign token. */
export async function verifyLocalToken(secret: string, token: string): Promise<Record<string, string> | null> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    });
    const claims: Record<string, string> = {};
    for (const [k, v] of Object.entries(payload)) claims[k] = String(v); // API Gateway passes claims as strings
    return claims;
  } catch {
    return null;
  }
}
