import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { canonicalJson as storeCanonicalJson, eventHash } from '#event-store';
import { canonicalJson, chainText } from '#ledger';

/** libs/ledger repeats the hash chain's formulas (it may not import the event store): they must not drift apart. */
describe('the ledger and the hash chain agree', () => {
  const json = fc.jsonValue({ maxDepth: 3 });

  it('on canonical JSON', () => {
    fc.assert(
      fc.property(json, (value) => expect(canonicalJson(value)).toBe(storeCanonicalJson(value))),
      { numRuns: 200 },
    );
  });

  it('on the text an event hash covers (less hash and mac)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.nat(),
        fc.string(),
        fc.dictionary(fc.string(), json),
        fc.dictionary(fc.string(), json),
        (streamId, revision, type, data, extra) => {
          const metadata = { ...extra, prevHash: 'a'.repeat(64), hash: 'b'.repeat(64), mac: 'c'.repeat(64) };
          const event = { streamId, revision, eventId: 'e', type, data, metadata };
          expect(createHash('sha256').update(chainText(event)).digest('hex')).toBe(eventHash(event));
        },
      ),
      { numRuns: 200 },
    );
  });
});
