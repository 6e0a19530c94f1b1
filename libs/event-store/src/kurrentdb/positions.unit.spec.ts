import { describe, expect, it } from '@jest/globals';
import { NO_POSITION, readFrom, toGlobalPosition, toSafeNumber, UnsupportedPositionError } from './positions.js';

describe('KurrentDB positions ↔ numbers', () => {
  describe('toSafeNumber', () => {
    it('converts exactly up to Number.MAX_SAFE_INTEGER', () => {
      expect(toSafeNumber(0n, 'x')).toBe(0);
      expect(toSafeNumber(123_456_789_012n, 'x')).toBe(123_456_789_012);
      expect(toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER), 'x')).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('refuses what a JS number cannot hold exactly, naming it', () => {
      expect(() => toSafeNumber(BigInt(Number.MAX_SAFE_INTEGER) + 1n, 'position')).toThrow(/position 9007199254740992 is beyond Number.MAX_SAFE_INTEGER/);
      expect(() => toSafeNumber(NO_POSITION, 'position')).toThrow(RangeError);
      expect(() => toSafeNumber(-1n, 'revision')).toThrow(/revision -1 is negative/);
    });
  });

  describe('toGlobalPosition', () => {
    it('is the log offset of an event written through gRPC (commit = prepare)', () => {
      expect(toGlobalPosition({ commit: 4_096n, prepare: 4_096n }, 'e')).toBe(4096);
    });

    it('gives the events of one multi-event append distinct, increasing numbers', () => {
      // As the server reports them: each event of an implicit transaction has its own record offset.
      const batch = [1_000n, 1_180n, 1_355n].map((offset) => ({ commit: offset, prepare: offset }));
      expect(batch.map((p) => toGlobalPosition(p, 'e'))).toEqual([1000, 1180, 1355]);
    });

    it('refuses an event of a legacy explicit transaction (commit ≠ prepare) instead of misplacing it', () => {
      expect(() => toGlobalPosition({ commit: 9_000n, prepare: 8_500n }, 'event x')).toThrow(UnsupportedPositionError);
      expect(() => toGlobalPosition({ commit: 9_000n, prepare: 8_500n }, 'event x')).toThrow(
        /event x: written in a legacy explicit transaction \(commit 9000 ≠ prepare 8500\)/,
      );
    });

    it('refuses an event without a position (server before 22.6 on stream reads)', () => {
      expect(() => toGlobalPosition(undefined, 'event y')).toThrow(/event y: the server reported no \$all position/);
      expect(() => toGlobalPosition({ commit: NO_POSITION, prepare: NO_POSITION }, 'event y')).toThrow(UnsupportedPositionError);
    });

    it('refuses a position beyond Number.MAX_SAFE_INTEGER', () => {
      const huge = BigInt(Number.MAX_SAFE_INTEGER) + 2n;
      expect(() => toGlobalPosition({ commit: huge, prepare: huge }, 'event z')).toThrow(RangeError);
    });
  });

  describe('readFrom', () => {
    it('reads from the start for 0, from the event itself otherwise', () => {
      expect(readFrom(0)).toBe('start');
      expect(readFrom(4096)).toEqual({ commit: 4096n, prepare: 4096n });
    });

    it('round-trips: the number of an event reads from that event', () => {
      const position = { commit: 77_777n, prepare: 77_777n };
      expect(readFrom(toGlobalPosition(position, 'e'))).toEqual(position);
    });

    it('refuses negative or fractional positions', () => {
      expect(() => readFrom(-1)).toThrow(RangeError);
      expect(() => readFrom(1.5)).toThrow(RangeError);
    });
  });
});
