import { describe, expect, it } from '@jest/globals';
import { mapBounded } from './report-reader.js';

describe('mapBounded', () => {
  it('keeps at most `limit` calls in flight and answers in the order of the items', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (ms) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms * 3));
      inFlight--;
      return ms * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
    expect(await mapBounded([], 3, async () => 1)).toEqual([]);
  });
});
