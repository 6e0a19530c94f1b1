import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveryAttempt, Webhook } from '../webhook.js';
import { SqliteWebhookStore } from './sqlite-webhook-store.js';

const webhook = (id: string, overrides: Partial<Webhook> = {}): Webhook => ({
  id,
  url: 'https://hooks.example.com/x',
  events: ['GoDecided'],
  secret: 'whsec-0123456789abcdef',
  createdAt: '2026-11-22T00:00:00.000Z',
  checkpoint: 5,
  generation: 0,
  ...overrides,
});

const attempt = (webhookId: string, n: number, overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt => ({
  webhookId,
  eventId: `e-${n}`,
  position: n,
  type: 'GoDecided',
  launchId: 'l1',
  attempt: 1,
  status: 'delivered',
  httpStatus: 204,
  at: '2026-11-22T00:00:01.000Z',
  durationMs: 3,
  ...overrides,
});

describe('SqliteWebhookStore', () => {
  let dir: string;
  let store: SqliteWebhookStore;
  const open = () => SqliteWebhookStore.open(join(dir, 'access.sqlite'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-store-'));
    store = open();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps webhooks, with their secret and filter, across a reopen', async () => {
    await store.add(webhook('a'));
    await store.add(webhook('b', { events: null }));
    await store.close();
    store = open();
    expect(await store.get('a')).toEqual(webhook('a'));
    expect((await store.list()).map((w) => [w.id, w.events])).toEqual([
      ['a', ['GoDecided']],
      ['b', null],
    ]);
  });

  it('advances the checkpoint only within the current generation; a rewind starts a new one', async () => {
    await store.add(webhook('a'));
    expect(await store.advance('a', 0, 9)).toBe(true);
    expect(await store.rewind('a', 2)).toMatchObject({ checkpoint: 2, generation: 1 });
    expect(await store.advance('a', 0, 10)).toBe(false);
    expect((await store.get('a'))!.checkpoint).toBe(2);
    expect(await store.advance('a', 1, 3)).toBe(true);
    expect(await store.rewind('missing', 0)).toBeNull();
    expect(await store.advance('missing', 0, 1)).toBe(false);
  });

  it('never moves a checkpoint backwards except by a rewind: a second dispatcher behind the first cannot undo its progress', async () => {
    await store.add(webhook('a'));
    const other = open(); // another process on the same file
    try {
      expect(await store.advance('a', 0, 9)).toBe(true);
      expect(await other.advance('a', 0, 7)).toBe(false);
      expect(await other.advance('a', 0, 9)).toBe(false);
      expect((await store.get('a'))!.checkpoint).toBe(9);
      expect(await other.rewind('a', 3)).toMatchObject({ checkpoint: 3, generation: 1 });
      expect(await store.advance('a', 1, 4)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('records an attempt before its request goes out, then its outcome', async () => {
    await store.add(webhook('a'));
    const pending = attempt('a', 1, { status: 'failed', httpStatus: undefined, error: 'no answer recorded' });
    const ref = await store.recordAttempt(pending);
    expect(await store.attempts('a', 10)).toEqual([pending]); // what a SIGKILL right now would leave
    await store.finishAttempt(ref, { status: 'delivered', httpStatus: 204, at: '2026-11-22T00:00:02.000Z', durationMs: 12 });
    expect(await store.attempts('a', 10)).toEqual([attempt('a', 1, { at: '2026-11-22T00:00:02.000Z', durationMs: 12 })]);
  });

  it('lists attempts newest first, with optional fields only when present, and forgets them with the webhook', async () => {
    await store.add(webhook('a'));
    await store.recordAttempt(attempt('a', 1, { status: 'failed', httpStatus: undefined, error: 'connect ECONNREFUSED' }));
    await store.recordAttempt(attempt('a', 1, { attempt: 2 }));
    await store.recordAttempt(attempt('other', 1));
    const attempts = await store.attempts('a', 10);
    expect(attempts).toEqual([attempt('a', 1, { attempt: 2 }), attempt('a', 1, { status: 'failed', httpStatus: undefined, error: 'connect ECONNREFUSED' })]);
    expect(attempts[1]).not.toHaveProperty('httpStatus');
    expect(await store.attempts('a', 1)).toHaveLength(1);
    expect(await store.remove('a')).toBe(true);
    expect(await store.remove('a')).toBe(false);
    expect(await store.get('a')).toBeNull();
    expect(await store.attempts('a', 10)).toEqual([]);
  });

  it('keeps a sealed secret with its key id, and replaces a clear one only while it is still clear', async () => {
    await store.add(webhook('sealed', { secret: 'c2VhbGVk', secretKeyId: 'k1' }));
    await store.add(webhook('clear'));
    expect(await store.get('sealed')).toMatchObject({ secret: 'c2VhbGVk', secretKeyId: 'k1' });
    expect(await store.get('clear')).not.toHaveProperty('secretKeyId');
    expect(await store.sealSecret('sealed', 'other', 'k2')).toBe(false);
    expect(await store.sealSecret('clear', 'Y2xlYXI', 'k1')).toBe(true);
    expect(await store.sealSecret('clear', 'again', 'k2')).toBe(false); // another process got there first
    expect(await store.get('clear')).toMatchObject({ secret: 'Y2xlYXI', secretKeyId: 'k1' });
    expect(await store.sealSecret('missing', 'x', 'k1')).toBe(false);
  });

  it('opens a file from before secrets were sealed: its webhooks read as clear, ready to be sealed', async () => {
    await store.close();
    rmSync(join(dir, 'access.sqlite'));
    const legacy = new Database(join(dir, 'access.sqlite'));
    legacy.exec(`CREATE TABLE webhooks (id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT, secret TEXT NOT NULL, created_at TEXT NOT NULL,
      checkpoint INTEGER NOT NULL, generation INTEGER NOT NULL DEFAULT 0)`);
    legacy
      .prepare('INSERT INTO webhooks VALUES (?, ?, NULL, ?, ?, 3, 0)')
      .run('old', 'https://hooks.example.com/x', 'whsec-0123456789abcdef', '2026-01-01T00:00:00.000Z');
    legacy.close();
    store = open();
    const other = open(); // a second process adding the column at the same time finds it there
    await other.close();
    expect(await store.get('old')).toEqual({
      id: 'old',
      url: 'https://hooks.example.com/x',
      events: null,
      secret: 'whsec-0123456789abcdef',
      createdAt: '2026-01-01T00:00:00.000Z',
      checkpoint: 3,
      generation: 0,
    });
    expect(await store.sealSecret('old', 'c2VhbGVk', 'k1')).toBe(true);
  });

  it('keeps only the most recent attempts of a webhook', async () => {
    await store.close();
    store = SqliteWebhookStore.open(join(dir, 'access.sqlite'), { attemptsKept: 20 });
    await store.add(webhook('a'));
    await store.add(webhook('b'));
    await store.recordAttempt(attempt('b', 0));
    for (let n = 1; n <= 50; n++) await store.recordAttempt(attempt('a', n));
    const kept = await store.attempts('a', 100);
    expect(kept.length).toBeGreaterThanOrEqual(20);
    expect(kept.length).toBeLessThan(22);
    expect(kept[0].position).toBe(50);
    expect(await store.attempts('b', 100)).toHaveLength(1);
  });
});
