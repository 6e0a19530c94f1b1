import { ApiError, post } from './api.js';
import { session } from './session.js';
import type { Principal } from './types.js';

/**
 * Sign-in through the company's identity provider (authorization code with PKCE). The server builds
 * the provider's address and exchanges the code (openid-client); this tab only carries the state,
 * nonce and PKCE verifier across the trip in its session storage, and ends with a short-lived
 * session token (`lcs_…`) used like any bearer token.
 */
const PENDING = 'launch-control.sso-pending';
export const CALLBACK_PATH = '/auth/callback';

interface PendingSignIn {
  authorizationUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

const callbackAddress = () => `${location.origin}${CALLBACK_PATH}`;

/** Whether the server offers single sign-on (GET /auth/sso needs no token). */
export async function singleSignOnOffered(): Promise<boolean> {
  try {
    const response = await fetch('/auth/sso', { headers: { Accept: 'application/json' } });
    return response.ok && ((await response.json()) as { enabled?: boolean }).enabled === true;
  } catch {
    return false;
  }
}

/** Leaves for the provider's sign-in page. */
export async function startSingleSignOn(): Promise<void> {
  const pending = await post<PendingSignIn>('/auth/sso/start', { redirectUri: callbackAddress() }, null);
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(pending.authorizationUrl);
}

export const isSingleSignOnReturn = (): boolean => location.pathname === CALLBACK_PATH;

/**
 * Back from the provider at /auth/callback: checks the state against the one this tab sent,
 * exchanges the code for a session and takes the code out of the address bar. Throws a message
 * for the sign-in page when the provider refused or the trip did not start in this tab.
 */
export async function finishSingleSignOn(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const callbackUrl = location.href;
  const stored = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', '/#/launches');
  if (params.get('error')) throw new Error(`The identity provider did not sign you in: ${params.get('error_description') ?? params.get('error')}`);
  const pending = stored ? (JSON.parse(stored) as PendingSignIn) : undefined;
  if (!pending || pending.state !== params.get('state')) throw new Error('This sign-in did not start in this tab (or was already used); please sign in again.');
  try {
    const answer = await post<{ token: string; principal: Principal }>(
      '/auth/sso/session',
      { redirectUri: callbackAddress(), callbackUrl, state: pending.state, nonce: pending.nonce, codeVerifier: pending.codeVerifier },
      null,
    );
    session.signIn(answer.token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) throw new Error(`Signed in, but not allowed in: ${error.message}`, { cause: error });
    throw new Error(`Could not complete the sign-in: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Ends a single sign-on session on the server, then leaves for the provider's sign-out page when it
 * has one (true: the page is being left, do nothing more).
 */
export async function endSingleSignOn(): Promise<boolean> {
  const token = session.token();
  if (!token?.startsWith('lcs_')) return false;
  const answer = await post<{ logoutUrl?: string }>('/auth/sign-out', { postLogoutRedirectUri: `${location.origin}/` }).catch(
    () => ({}) as { logoutUrl?: string },
  );
  session.signOut();
  if (!answer.logoutUrl) return false;
  location.assign(answer.logoutUrl);
  return true;
}
