import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { OidcAuthenticator } from './oidc-authenticator.js';
import { SqliteSessionStore } from './session-store.js';

describe('OidcAuthenticator: sessions and access tokens end when they should', () => {
  let dir: string;
  let sessions: SqliteSessionStore;
  let authenticator: OidcAuthenticator;
  const settings = loadConfig({ OIDC_ISSUER: 'https://login.example.com', OIDC_AUDIENCE: 'api', OIDC_SESSION_TTL_MS: '60000' }).oidc!;
  const ada = { id: 'oidc:ada', name: 'Ada', role: 'launch-manager' as const };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'launch-control-sessions-'));
    sessions = new SqliteSessionStore(join(dir, 'sessions.sqlite'));
    authenticator = new OidcAuthenticator(settings, sessions, undefined);
  });
  afterEach(async () => {
    await authenticator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a session in for OIDC_SESSION_TTL_MS, then no longer', async () => {
    const openedAt = new Date(Date.now() - 59_000);
    const { token } = await authenticator.openSession(ada, openedAt);
    const principal = await authenticator.sessionPrincipal(token);
    expect(principal).toMatchObject({ ...ada, via: 'session', expiresAt: new Date(openedAt.getTime() + 60_000).toISOString() });
    expect(await authenticator.stillAllowed(principal)).toBe(true);
    expect(await authenticator.stillAllowed(principal, new Date(openedAt.getTime() + 60_001))).toBe(false);
    expect(await sessions.find(principal.sessionHash!, new Date(openedAt.getTime() + 60_001))).toBeNull();
  });

  it('stores only the hash of the session token, and a sign-out ends it for every holder of the store', async () => {
    const { token } = await authenticator.openSession(ada);
    const principal = await authenticator.sessionPrincipal(token);
    expect(principal.sessionHash).toMatch(/^[0-9a-f]{64}$/);
    expect(principal.sessionHash).not.toContain(token);
    const sameFile = new SqliteSessionStore(join(dir, 'sessions.sqlite'));
    try {
      await authenticator.endSession(principal);
      expect(await sameFile.find(principal.sessionHash!, new Date())).toBeNull();
      await expect(authenticator.sessionPrincipal(token)).rejects.toThrow(/ended or expired/);
    } finally {
      await sameFile.close();
    }
  });

  it("lets an access token's principal (an open stream) in until the token's exp", async () => {
    const expiresAt = new Date(Date.now() + 1000).toISOString();
    const principal = { ...ada, createdAt: new Date().toISOString(), via: 'access-token' as const, expiresAt };
    expect(await authenticator.stillAllowed(principal)).toBe(true);
    expect(await authenticator.stillAllowed(principal, new Date(Date.parse(expiresAt) + 1))).toBe(false);
  });
});
