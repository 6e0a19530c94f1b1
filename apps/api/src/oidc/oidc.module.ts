import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PrincipalAccess } from '../auth/principal-access.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import { IdentityProvider } from './identity-provider.js';
import { OIDC_AUTHENTICATOR, OidcAuthenticator } from './oidc-authenticator.js';
import { createSessionStore } from './session-store.js';
import { SignInFlow } from './sign-in-flow.js';
import { SIGN_IN_FLOW, SignInController } from './sign-in.controller.js';

const IDENTITY_PROVIDER = Symbol('IDENTITY_PROVIDER');
const ACCESS_TOKEN_VERIFIER = Symbol('ACCESS_TOKEN_VERIFIER');

/** Single sign-on (OIDC_*): everything is null/refusing when OIDC_ISSUER is unset. */
@Global()
@Module({
  controllers: [SignInController],
  providers: [
    { provide: IDENTITY_PROVIDER, useFactory: (config: AppConfig) => (config.oidc ? new IdentityProvider(config.oidc) : null), inject: [APP_CONFIG] },
    {
      provide: ACCESS_TOKEN_VERIFIER,
      useFactory: (provider: IdentityProvider | null) => (provider ? new AccessTokenVerifier(provider) : null),
      inject: [IDENTITY_PROVIDER],
    },
    {
      provide: OIDC_AUTHENTICATOR,
      useFactory: (config: AppConfig, verifier: AccessTokenVerifier | null) =>
        new OidcAuthenticator(config.oidc, config.oidc ? createSessionStore(config) : undefined, verifier ?? undefined),
      inject: [APP_CONFIG, ACCESS_TOKEN_VERIFIER],
    },
    {
      provide: SIGN_IN_FLOW,
      useFactory: (provider: IdentityProvider | null, verifier: AccessTokenVerifier | null) =>
        provider && verifier ? new SignInFlow(provider, verifier) : null,
      inject: [IDENTITY_PROVIDER, ACCESS_TOKEN_VERIFIER],
    },
    PrincipalAccess,
  ],
  exports: [OIDC_AUTHENTICATOR, PrincipalAccess],
})
export class OidcModule implements OnApplicationShutdown {
  constructor(private readonly moduleRef: ModuleRef) {}

  async onApplicationShutdown(): Promise<void> {
    await this.moduleRef.get<OidcAuthenticator>(OIDC_AUTHENTICATOR).close();
  }
}
