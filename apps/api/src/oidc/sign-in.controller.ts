import { Body, Controller, Get, Header, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFound, ValidationFailed } from '#launch';
import { CurrentPrincipal, Public } from '../auth/auth.decorators.js';
import { describePrincipal, type Principal } from '../auth/principal.js';
import { dashboardRoot } from '../dashboard/dashboard-files.js';
import { OIDC_AUTHENTICATOR, type OidcAuthenticator } from './oidc-authenticator.js';
import { CALLBACK_PATH, FinishSignInDto, SignOutDto, StartSignInDto } from './sign-in.dto.js';
import type { SignInFlow } from './sign-in-flow.js';

export const SIGN_IN_FLOW = Symbol('SIGN_IN_FLOW');

/**
 * The dashboard's sign-in protocol (README, Single sign-on); not part of the API for clients, so not
 * in the OpenAPI document. API clients present the provider's access tokens directly instead.
 */
@ApiExcludeController()
@Controller('auth')
export class SignInController {
  constructor(
    @Inject(SIGN_IN_FLOW) private readonly flow: SignInFlow | null,
    @Inject(OIDC_AUTHENTICATOR) private readonly oidc: OidcAuthenticator,
  ) {}

  /** What the sign-in page offers besides pasting an API token. */
  @Public()
  @Get('sso')
  @Header('Cache-Control', 'no-store')
  options() {
    return { enabled: this.flow?.enabled === true };
  }

  @Public()
  @Post('sso/start')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  start(@Body() body: StartSignInDto) {
    return this.enabledFlow().start(body.redirectUri);
  }

  /** Exchanges the code the provider sent back for a dashboard session: its token is shown only here. */
  @Public()
  @Post('sso/session')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  async finish(@Body() body: FinishSignInDto) {
    if (!body.callbackUrl.startsWith(`${body.redirectUri}?`)) {
      throw new ValidationFailed('callbackUrl is not an answer to redirectUri', [{ field: 'callbackUrl', message: `must start with ${CALLBACK_PATH}?` }]);
    }
    const actor = await this.enabledFlow().finish(body);
    const { token, principal } = await this.oidc.openSession(actor);
    return { token, expiresAt: principal.expiresAt, principal: describePrincipal(principal) };
  }

  /** Ends the calling dashboard session (every process sees it at once) and says where the provider's own session ends. */
  @Post('sign-out')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async signOut(@CurrentPrincipal() principal: Principal, @Body() body: SignOutDto) {
    if (principal.via !== 'session') {
      throw new ValidationFailed('only a dashboard session signs out here; an API token is revoked with DELETE /v1/principals/{id}');
    }
    await this.oidc.endSession(principal);
    const logoutUrl = body.postLogoutRedirectUri && this.flow ? await this.flow.logoutUrl(body.postLogoutRedirectUri).catch(() => undefined) : undefined;
    return { signedOut: true, ...(logoutUrl && { logoutUrl }) };
  }

  /** Where the provider sends the browser back: the dashboard itself, which finishes the sign-in. */
  @Public()
  @Get('callback')
  async callback(@Res() reply: FastifyReply): Promise<void> {
    const page = await readFile(join(dashboardRoot(), 'index.html')).catch(() => undefined);
    if (!page) throw new NotFound('the dashboard has not been built: run npm run build:web');
    await reply.header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(page);
  }

  private enabledFlow(): SignInFlow {
    if (!this.flow?.enabled) throw new NotFound('single sign-on is not configured (OIDC_ISSUER and OIDC_CLIENT_ID)');
    return this.flow;
  }
}
