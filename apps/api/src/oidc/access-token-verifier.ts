import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { ServiceUnavailable, Unauthenticated } from '../http/errors.js';
import type { IdentityProvider } from './identity-provider.js';

/** Only asymmetric signatures: the provider signs, this API only holds its public keys. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** Whether a bearer token is a JWS (three base64url parts whose header names an algorithm) rather than an opaque token. */
export function looksLikeJwt(token: string): boolean {
  if (token.split('.').length !== 3) return false;
  try {
    return typeof decodeProtectedHeader(token).alg === 'string';
  } catch {
    return false;
  }
}

/**
 * Validates the provider's access tokens with jose: signature against the issuer's JWKS (fetched
 * through jose's remote key set, which refetches on an unknown `kid` so rotated-in keys work, and
 * at most every OIDC_JWKS_CACHE_MS otherwise, so rotated-out keys stop working), then `iss`, `aud`,
 * `exp` and `nbf` (with a little leeway for clock skew).
 */
export class AccessTokenVerifier {
  private keys: { uri: string; keySet: ReturnType<typeof createRemoteJWKSet> } | undefined;

  constructor(private readonly provider: IdentityProvider) {}

  async verify(token: string): Promise<JWTPayload> {
    const { audience, clockToleranceSeconds } = this.provider.settings;
    let claimedIssuer: unknown;
    try {
      claimedIssuer = decodeJwt(token).iss;
    } catch {
      throw new Unauthenticated('the access token is not a well-formed JWT');
    }
    const { issuer, jwksUri } = await this.provider.keysMetadata();
    // Before any key is fetched: a token from elsewhere must not make this API fetch keys.
    if (claimedIssuer !== issuer) throw new Unauthenticated('the access token was issued by an unknown issuer');
    const keySet = this.keySet(jwksUri);
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer,
        audience,
        algorithms: ALGORITHMS,
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (error) {
      throw refusal(error, issuer);
    }
  }

  private keySet(uri: string) {
    if (this.keys?.uri !== uri) {
      const cacheMaxAge = this.provider.settings.jwksCacheMs;
      this.keys = { uri, keySet: createRemoteJWKSet(new URL(uri), { cacheMaxAge, cooldownDuration: Math.min(30_000, cacheMaxAge), timeoutDuration: 5000 }) };
    }
    return this.keys.keySet;
  }
}

/** Why a token was refused (401), or 503 when the provider's keys could not be fetched. */
function refusal(error: unknown, issuer: string): Error {
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError) || /JSON Web Key Set HTTP response/.test(error.message)) {
    return new ServiceUnavailable(`the signing keys of ${issuer} cannot be fetched`, 5);
  }
  if (error instanceof errors.JWTExpired) return new Unauthenticated('the access token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new Unauthenticated('the access token is not meant for this API (aud)');
    if (error.claim === 'nbf') return new Unauthenticated('the access token is not valid yet (nbf)');
    return new Unauthenticated(`the access token's ${error.claim} claim is not acceptable`);
  }
  if (error instanceof errors.JWKSNoMatchingKey) return new Unauthenticated('the access token is signed with a key the identity provider does not publish');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new Unauthenticated('the access token signature is not valid');
  if (error instanceof errors.JOSEAlgNotAllowed) return new Unauthenticated('the access token is signed with an algorithm this API does not accept');
  return new Unauthenticated('the access token is not valid');
}
