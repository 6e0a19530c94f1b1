import { ApiError, me } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { session } from '../session.js';
import { singleSignOnOffered, startSingleSignOn } from '../single-sign-on.js';
import { problemBox } from '../widgets.js';

/** What happened before this sign-in page: a sign-out (info), or a revocation, an expiry, a refused single sign-on (problem). */
export interface SignInNotice {
  tone: 'info' | 'problem';
  text: string;
}

/**
 * Sign in through the company's identity provider (when the server offers single sign-on), or paste
 * an API token; either token is checked with GET /v1/me and kept in this tab's session storage.
 * `notice`: what happened before (signed out, access revoked or expired, single sign-on refused), shown above the form.
 */
export function renderSignIn(main: HTMLElement, onSignedIn: () => void, notice?: SignInNotice): void {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-help',
  });
  const status = h(
    'div',
    { id: 'sign-in-status' },
    notice?.tone === 'problem' ? problemBox(notice.text) : notice ? h('p', { class: 'notice', role: 'status' }, notice.text) : null,
  );
  const singleSignOn = h('div', { class: 'single-sign-on', hidden: true });
  const form = h(
    'form',
    { class: 'card narrow', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    singleSignOn,
    h('label', { for: 'token' }, 'API token'),
    input,
    h(
      'p',
      { id: 'token-help', class: 'help' },
      'Paste the bearer token you were given. It stays in this browser tab only and is forgotten when the tab closes.',
    ),
    status,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    replaceChildren(status);
    try {
      await me(token);
      session.signIn(token);
      onSignedIn();
    } catch (error) {
      const message =
        error instanceof ApiError && error.status === 401
          ? `That token was not accepted: ${error.problem.detail ?? 'unknown or revoked'}.`
          : `Could not sign in: ${(error as Error).message}`;
      replaceChildren(status, problemBox(message));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });
  replaceChildren(main, form);
  input.focus();
  void offerSingleSignOn(singleSignOn, status);
}

async function offerSingleSignOn(container: HTMLElement, status: HTMLElement): Promise<void> {
  if (!(await singleSignOnOffered())) return;
  const button = h('button', { type: 'button', class: 'primary' }, 'Sign in with your company account');
  button.addEventListener('click', async () => {
    button.setAttribute('disabled', 'true');
    try {
      await startSingleSignOn();
    } catch (error) {
      button.removeAttribute('disabled');
      replaceChildren(status, problemBox(`Single sign-on is not available right now: ${(error as Error).message}`));
    }
  });
  replaceChildren(container, button, h('p', { class: 'help' }, 'Or, for an API token:'));
  container.hidden = false;
}
