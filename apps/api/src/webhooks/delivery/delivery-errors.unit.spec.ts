import { describe, expect, it } from '@jest/globals';
import { INTERRUPTED, NO_ANSWER_RECORDED, shownError } from './delivery-errors.js';

describe('delivery errors as answers show them', () => {
  it("shows today's words as they are", () => {
    for (const error of [
      'connection failed',
      'timed out',
      'address not allowed',
      'HTTP 503',
      NO_ANSWER_RECORDED,
      INTERRUPTED,
      'the secret cannot be opened: key k2',
    ]) {
      expect(shownError(error)).toBe(error);
    }
  });

  it('hides the network detail older versions logged: a closed port and an open one look the same', () => {
    expect(shownError('connect ECONNREFUSED 127.0.0.1:22')).toBe('connection failed');
    expect(shownError('socket hang up')).toBe('connection failed');
    expect(shownError('getaddrinfo ENOTFOUND internal.corp')).toBe('connection failed');
    expect(shownError('no answer within 10000 ms')).toBe('timed out');
    expect(shownError('the receiver answered HTTP 404')).toBe('HTTP 404');
  });
});
