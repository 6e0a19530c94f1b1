/** The bearer token lives in this tab's session storage only: never in a URL, gone when the tab closes. */
const KEY = 'launch-control.token';

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  signIn(token: string): void {
    sessionStorage.setItem(KEY, token);
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
  },
};
