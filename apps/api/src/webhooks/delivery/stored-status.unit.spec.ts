import { describe, expect, it } from '@jest/globals';
import type { DeliveryAttempt, Webhook } from '../webhook.js';
import { storedStatus } from './stored-status.js';

const webhook: Webhook = {
  id: 'w1',
  url: 'http://127.0.0.1/x',
  events: null,
  secret: 's'.repeat(16),
  createdAt: '2026-11-22T00:00:00.000Z',
  checkpoint: 10,
  generation: 0,
};
const attempt = (position: number, overrides: Partial<DeliveryAttempt> = {}): DeliveryAttempt => ({
  webhookId: 'w1',
  eventId: `e${position}`,
  position,
  type: 'TaskBlocked',
  launchId: 'l1',
  attempt: 1,
  status: 'delivered',
  httpStatus: 204,
  at: '2026-11-22T00:00:01.000Z',
  durationMs: 2,
  ...overrides,
});

describe('a webhook state seen from an instance that does not deliver', () => {
  it('is stopped when no instance holds the dispatch lease', () => {
    expect(storedStatus(webhook, undefined, 10, false)).toEqual({ state: 'stopped' });
  });

  it('is idle when caught up with the log, delivering while behind it', () => {
    expect(storedStatus(webhook, attempt(10), 10, true)).toEqual({ state: 'idle' });
    expect(storedStatus(webhook, attempt(10), 12, true)).toEqual({ state: 'delivering' });
  });

  it('is retrying, with the error, when the latest attempt failed on an event it has not got past', () => {
    const failed = attempt(11, { status: 'failed', httpStatus: 503, error: 'HTTP 503', attempt: 3 });
    expect(storedStatus(webhook, failed, 12, true)).toEqual({
      state: 'retrying',
      lastError: { message: 'HTTP 503', httpStatus: 503, at: failed.at, eventId: 'e11', attempt: 3 },
    });
    // A failure it has since got past (delivered on a later attempt, then moved on) is history.
    expect(storedStatus({ ...webhook, checkpoint: 11 }, { ...failed, position: 11 }, 11, true)).toEqual({ state: 'idle' });
  });
});
