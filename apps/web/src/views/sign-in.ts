import { ApiError, me } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { session } from '../session.js';
import { problemBox } from '../widgets.js';

/** Paste a token; it is checked with GET /v1/me and kept in this tab's session storage. */
export function renderSignIn(main: HTMLElement, onSignedIn: () => void): void {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-help',
  });
  const status = h('div', { id: 'sign-in-status' });
  const form = h(
    'form',
    { class: 'card narrow', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'help' }, 'Paste the bearer token you were given. It stays in this browser tab only and is forgotten when the tab closes.'),
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
      const message = error instanceof ApiError && error.status === 401 ? 'That token was not accepted (unknown or revoked).' : `Could not sign in: ${(error as Error).message}`;
      replaceChildren(status, problemBox(message));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });
  replaceChildren(main, form);
  input.focus();
}
