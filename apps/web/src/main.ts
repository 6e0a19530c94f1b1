import { get, me, whenUnauthenticated } from './api.js';
import { COCKPIT_ROUTES } from './cockpit-routes.js';
import type { Page, PageContext } from './context.js';
import { h, replaceChildren } from './dom.js';
import { session } from './session.js';
import { endSingleSignOn, finishSingleSignOn, isSingleSignOnReturn } from './single-sign-on.js';
import type { Department } from './types.js';
import { renderHistory } from './views/history.js';
import { renderInbox } from './views/inbox.js';
import { renderLaunch } from './views/launch.js';
import { renderLaunches } from './views/launches.js';
import { renderSignIn } from './views/sign-in.js';
import { problemBox } from './widgets.js';

const ID = '([0-9a-fA-F-]{36})';
const ROUTES: Array<[RegExp, Page, string]> = [
  ...COCKPIT_ROUTES.map(({ pattern, page, title }): [RegExp, Page, string] => [pattern, page, title]),
  [/^#\/launches\/?$/, renderLaunches, 'Launches'],
  [new RegExp(`^#/launches/${ID}/?$`), renderLaunch, 'Launch'],
  [new RegExp(`^#/launches/${ID}/history/?$`), renderHistory, 'History'],
  [/^#\/inbox(?:\/([a-z-]+))?\/?$/, renderInbox, 'Department inbox'],
];

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
let context: PageContext | undefined;
let leave: (() => void) | void;
let rendering = 0;
/** Why the last single sign-on failed, for the sign-in page. */
let signInProblem: string | undefined;

async function signedInContext(): Promise<PageContext | undefined> {
  if (context) return context;
  if (!session.token()) return undefined;
  try {
    const [principal, departments] = await Promise.all([me(), get<Department[]>('/v1/departments')]);
    context = { principal, departments };
    (document.getElementById('who') as HTMLElement).textContent =
      `${principal.name} · ${principal.role}${principal.department ? ` (${principal.department})` : ''}`;
    nav.hidden = false;
    return context;
  } catch {
    return undefined;
  }
}

async function route(): Promise<void> {
  const mine = ++rendering;
  leave?.();
  leave = undefined;
  const signedIn = await signedInContext();
  if (mine !== rendering) return;
  if (!signedIn) {
    nav.hidden = true;
    document.title = 'Sign in · Launch Control';
    renderSignIn(
      main,
      () => {
        if (!location.hash || location.hash === '#/sign-in') location.hash = '#/launches';
        else void route();
      },
      signInProblem,
    );
    signInProblem = undefined;
    return;
  }
  const hash = location.hash || '#/launches';
  const match = ROUTES.find(([pattern]) => pattern.test(hash));
  if (!match) {
    location.hash = '#/launches';
    return;
  }
  const [pattern, page, title] = match;
  const params = (pattern.exec(hash) ?? []).slice(1);
  document.title = `${title} · Launch Control`;
  main.setAttribute('aria-busy', 'true');
  try {
    const cleanup = await page(main, signedIn, params);
    if (mine === rendering) leave = cleanup;
    else cleanup?.();
  } catch (error) {
    if (mine === rendering) replaceChildren(main, h('h1', {}, title), problemBox((error as Error).message));
  } finally {
    main.removeAttribute('aria-busy');
  }
}

async function signOut(): Promise<void> {
  leave?.();
  leave = undefined;
  context = undefined;
  // A single sign-on session ends on the server (and may leave for the provider's sign-out page).
  if (await endSingleSignOn()) return;
  session.signOut();
  location.hash = '#/sign-in';
  void route();
}

whenUnauthenticated(() => {
  if (!context) return;
  session.signOut();
  context = undefined;
  void route();
});
document.getElementById('sign-out')?.addEventListener('click', () => void signOut());
window.addEventListener('hashchange', () => {
  void route();
  main.focus({ preventScroll: true });
});
if (isSingleSignOnReturn()) {
  finishSingleSignOn().then(
    () => route(),
    (error: Error) => {
      signInProblem = error.message;
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
