import * as client from 'openid-client';
import { ServiceUnavailable } from '../http/errors.js';
import type { OidcConfig } from './oidc-config.js';

/** How long a failed discovery is remembered before the next request tries again. */
const RETRY_DISCOVERY_MS = 2000;
const REQUEST_TIMEOUT_SECONDS = 5;

/**
 * The company's identity provider, as openid-client sees it: its discovery document (fetched on
 * first use, not at start, so the API starts while the provider is down; a failure is retried),
 * with this deployment's client (public, or confidential when OIDC_CLIENT_SECRET is set).
 */
export class IdentityProvider {
  private discovered: Promise<client.Configuration> | undefined;
  private failedAt = 0;

  constructor(readonly settings: OidcConfig) {}

  /** The provider's configuration; ServiceUnavailable (503) while discovery fails. */
  async configuration(): Promise<client.Configuration> {
    if (!this.discovered && Date.now() - this.failedAt < RETRY_DISCOVERY_MS) throw this.unavailable();
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      this.failedAt = Date.now();
      throw this.unavailable(error);
    });
    return this.discovered;
  }

  private async discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret, audience, allowInsecureIssuer } = this.settings;
    const auth = clientSecret ? client.ClientSecretPost(clientSecret) : client.None();
    const configuration = await client.discovery(new URL(issuer), clientId ?? audience, clientSecret, auth, {
      timeout: REQUEST_TIMEOUT_SECONDS,
      ...(allowInsecureIssuer && { execute: [client.allowInsecureRequests] }),
    });
    configuration.timeout = REQUEST_TIMEOUT_SECONDS;
    return configuration;
  }

  /**
   * The issuer exactly as the provider writes it in `iss` (discovery checked it is OIDC_ISSUER, give
   * or take a trailing slash) and where it publishes its signing keys.
   */
  async keysMetadata(): Promise<{ issuer: string; jwksUri: string }> {
    const { issuer, jwks_uri: jwksUri } = (await this.configuration()).serverMetadata();
    if (!jwksUri) throw new ServiceUnavailable(`the identity provider ${this.settings.issuer} publishes no jwks_uri`, 5);
    return { issuer, jwksUri };
  }

  private unavailable(cause?: unknown): ServiceUnavailable {
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    return new ServiceUnavailable(`the identity provider ${this.settings.issuer} cannot be reached${reason}`, Math.ceil(RETRY_DISCOVERY_MS / 1000));
  }
}
