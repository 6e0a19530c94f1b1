import { ApiError, get, me, NetworkError, onConnectionChange, serverAnswers, whenUnauthenticated } from './api.js';
import { COCKPIT_ROUTES } from './cockpit-routes.js';
import type { Page, PageContext } from './context.js';
import { announce, h, replaceChildren } from './dom.js';
import { session } from './session.js';
import { endSingleSignOn, finishSingleSignOn, isSingleSignOnReturn } from './single-sign-on.js';
import type { Department } from './types.js';
import { renderPrincipals } from './views/admin-principals.js';
import { renderWebhooks } from './views/admin-webhooks.js';
import { renderHistory } from './views/history.js';
import { renderInbox } from './views/inbox.js';
import { renderLaunch } from './views/launch.js';
import { renderLaunches } from './views/launches.js';
import { renderSignIn, type SignInNotice } from './views/sign-in.js';
import { problemBox, retryBox } from './widgets.js';

const ID = '([0-9a-fA-F-]{36})';
/** A view's address (captures become its params), its page, and its title. First match wins: add new views here. */
interface Route {
  pattern: RegExp;
  page: Page;
  title: string;
}
const ROUTES: Route[] = [
  ...COCKPIT_ROUTES,
  { pattern: /^#\/launches\/?(?:\?(.*))?$/, page: renderLaunches, title: 'Launches' },
  { pattern: new RegExp(`^#/launches/${ID}/?$`), page: renderLaunch, title: 'Launch' },
  { pattern: new RegExp(`^#/launches/${ID}/history/?$`), page: renderHistory, title: 'History' },
  { pattern: /^#\/inbox(?:\/([a-z-]+))?\/?$/, page: renderInbox, title: 'Department inbox' },
  { pattern: /^#\/admin\/principals\/?$/, page: renderPrincipals, title: 'Principals' },
  { pattern: /^#\/admin\/webhooks\/?$/, page: renderWebhooks, title: 'Webhooks' },
];

/** How often a signed-in tab asks whether its access still holds (revocation, expiry), and probes a lost server. */
const SESSION_CHECK_MS = 15_000;
const PROBE_MS = 2_000;

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const connection = document.getElementById('connection') as HTMLElement;
let context: PageContext | undefined;
let leave: (() => void) | void;
let rendering = 0;
/** What the sign-in page should say happened (a refused single sign-on, a revocation, a sign-out). */
let signInNotice: SignInNotice | undefined;
/** The current view could not load for want of a server: render it again once the server answers. */
let awaitingServer = false;
let expiryTimer: number | undefined;

function showHeader(principal: PageContext['principal'] | undefined): void {
  who.textContent = principal ? `${principal.name} · ${principal.role}${principal.department ? ` (${principal.department})` : ''}` : '';
  nav.hidden = !principal;
  for (const item of document.querySelectorAll<HTMLElement>('.admin-only')) item.hidden = principal?.role !== 'admin';
  for (const item of document.querySelectorAll<HTMLElement>('.not-department')) item.hidden = principal?.role === 'department';
}

async function signedInContext(): Promise<PageContext | undefined> {
  if (context) return context;
  if (!session.token()) return undefined;
  try {
    const [principal, departments] = await Promise.all([me(), get<Department[]>('/v1/departments')]);
    context = { principal, departments };
    showHeader(principal);
    watchExpiry(principal.expiresAt);
    return context;
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    return undefined;
  }
}

/** A single sign-on session ends at a known instant: say so then, rather than at the next failed click. */
function watchExpiry(expiresAt: string | undefined): void {
  window.clearTimeout(expiryTimer);
  if (!expiresAt) return;
  const wait = Date.parse(expiresAt) - Date.now();
  if (Number.isFinite(wait)) expiryTimer = window.setTimeout(() => void me().catch(() => undefined), Math.max(0, Math.min(wait + 500, 2 ** 31 - 1)));
}

async function route(): Promise<void> {
  const mine = ++rendering;
  leave?.();
  leave = undefined;
  awaitingServer = false;
  let signedIn: PageContext | undefined;
  try {
    signedIn = await signedInContext();
  } catch (error) {
    if (mine === rendering) showUnreachable('Launch Control', error as Error);
    return;
  }
  if (mine !== rendering) return;
  if (!signedIn) {
    showHeader(undefined);
    document.title = 'Sign in · Launch Control';
    renderSignIn(
      main,
      () => {
        signInNotice = undefined;
        if (!location.hash || location.hash === '#/sign-in') location.hash = '#/launches';
        else void route();
      },
      signInNotice,
    );
    return;
  }
  signInNotice = undefined;
  const hash = location.hash || '#/launches';
  const match = ROUTES.find(({ pattern }) => pattern.test(hash));
  if (!match) {
    location.hash = '#/launches';
    return;
  }
  const params = (match.pattern.exec(hash) ?? []).slice(1);
  document.title = `${match.title} · Launch Control`;
  main.setAttribute('aria-busy', 'true');
  try {
    const cleanup = await match.page(main, signedIn, params);
    if (mine === rendering) leave = cleanup;
    else cleanup?.();
  } catch (error) {
    if (mine !== rendering) return;
    if (error instanceof NetworkError) showUnreachable(match.title, error);
    else if (!(error instanceof ApiError && error.status === 401)) replaceChildren(main, h('h1', {}, match.title), problemBox((error as Error).message));
  } finally {
    main.removeAttribute('aria-busy');
  }
}

function showUnreachable(title: string, error: Error): void {
  awaitingServer = true;
  replaceChildren(
    main,
    h('h1', {}, title),
    retryBox(error.message, () => void route()),
  );
  probeUntilReachable();
}

let probing = false;
/** Asks the server's liveness every couple of seconds until it answers (which fires the connection listeners). */
function probeUntilReachable(): void {
  if (probing) return;
  probing = true;
  const probe = async () => {
    if (await serverAnswers()) {
      probing = false;
      return;
    }
    window.setTimeout(() => void probe(), PROBE_MS);
  };
  window.setTimeout(() => void probe(), PROBE_MS);
}

onConnectionChange((online) => {
  connection.hidden = online;
  if (!online) {
    replaceChildren(connection, 'Connection to the server lost. Retrying by itself; what you see may be out of date.');
    probeUntilReachable();
    return;
  }
  announce('Connection to the server restored.');
  if (awaitingServer) void route();
});

function reasonFor(error: ApiError): string {
  const detail = error.problem.detail ?? '';
  if (/revoked/i.test(detail)) return 'You were signed out: your access was revoked by an administrator. Ask them for a new token to sign in again.';
  if (/expired|ended/i.test(detail)) return 'You were signed out: your session has expired or was ended. Sign in again to continue.';
  return `You were signed out: the server no longer accepts your token (${detail || `HTTP ${error.status}`}).`;
}

whenUnauthenticated((error) => {
  session.signOut();
  context = undefined;
  window.clearTimeout(expiryTimer);
  signInNotice = { tone: 'problem', text: reasonFor(error) };
  void route();
});

async function signOut(): Promise<void> {
  leave?.();
  leave = undefined;
  context = undefined;
  window.clearTimeout(expiryTimer);
  signInNotice = { tone: 'info', text: 'You have signed out. This tab no longer holds your token.' };
  showHeader(undefined);
  // A single sign-on session ends on the server (and may leave for the provider's sign-out page).
  if (await endSingleSignOn()) return;
  session.signOut();
  location.hash = '#/sign-in';
  void route();
}

// Revocation and expiry are noticed even on a page that makes no requests of its own.
window.setInterval(() => {
  if (context && session.token() && document.visibilityState === 'visible') void me().catch(() => undefined);
}, SESSION_CHECK_MS);

document.getElementById('sign-out')?.addEventListener('click', () => void signOut());
window.addEventListener('hashchange', () => {
  void route();
  main.focus({ preventScroll: true });
});
if (isSingleSignOnReturn()) {
  finishSingleSignOn().then(
    () => route(),
    (error: Error) => {
      signInNotice = { tone: 'problem', text: error.message };
      return route();
    },
  );
} else {
  void route();
}
// The skip link must not change the hash (that is the router's): move focus instead.
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
