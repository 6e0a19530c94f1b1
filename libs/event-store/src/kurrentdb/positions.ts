/**
 * KurrentDB positions ↔ the port's numbers.
 *
 * A KurrentDB `$all` position is a pair of byte offsets in the transaction log, `{ commit, prepare }`,
 * ordered by commit then prepare. Every event written through the gRPC API (an "implicit
 * transaction": one append, one or many events) is a prepare record flagged as committed, and the
 * server reports its position as `commit = prepare = the record's own log offset` — also for every
 * event of a multi-event append (each has its own record and offset). So for these events one
 * number, the log offset, is unique, strictly increasing in `$all` order, and a valid place to
 * resume: reading `$all` from `{ commit: p, prepare: p }` starts at that event (inclusive), so
 * "strictly after p" is that read minus the event at p.
 *
 * Only events of legacy explicit transactions (TCP clients of EventStoreDB before v24) have
 * `commit ≠ prepare` (the commit is the offset of the transaction's commit record, shared by all its
 * events). One number cannot place them, so they are refused with a clear error rather than
 * numbered wrongly. Servers before 22.6 do not report positions on stream reads (u64 max): also an
 * error, naming the cause.
 */
import type { Position } from '@kurrent/kurrentdb-client';

/** What the server sends when it has no position for an event (ulong.MaxValue, i.e. -1 as a long). */
export const NO_POSITION = (1n << 64n) - 1n;

/** The event has no `$all` position this adapter can express as one number. */
export class UnsupportedPositionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedPositionError';
  }
}

/** A server-side 64-bit unsigned integer as a JS number; throws past Number.MAX_SAFE_INTEGER. */
export function toSafeNumber(value: bigint, what: string): number {
  if (typeof value !== 'bigint') throw new TypeError(`${what} must be a bigint, got ${typeof value}`);
  if (value < 0n) throw new RangeError(`${what} ${value} is negative`);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${what} ${value} is beyond Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER}); it cannot be represented exactly`);
  }
  return Number(value);
}

/** The port's number for an event's `$all` position (see the module comment). */
export function toGlobalPosition(position: Position | undefined, event: string): number {
  if (!position || position.commit === NO_POSITION || position.prepare === NO_POSITION) {
    throw new UnsupportedPositionError(
      `${event}: the server reported no $all position for it (KurrentDB/EventStoreDB 22.6 or later reports it on stream reads for events not written in explicit transactions)`,
    );
  }
  if (position.commit !== position.prepare) {
    throw new UnsupportedPositionError(
      `${event}: written in a legacy explicit transaction (commit ${position.commit} ≠ prepare ${position.prepare}); such events cannot be given a single position`,
    );
  }
  return toSafeNumber(position.commit, `${event}: position`);
}

/**
 * Where to read `$all` from so that the events strictly after `after` are included: `start` for 0,
 * otherwise the position of the event at `after` itself (the read is inclusive; drop that event).
 * `after` must be 0 or a position this store handed out — KurrentDB can only read from the start
 * of a record.
 */
export function readFrom(after: number): 'start' | Position {
  if (!Number.isSafeInteger(after) || after < 0) throw new RangeError(`after must be a non-negative integer, got ${String(after)}`);
  if (after === 0) return 'start';
  const offset = BigInt(after);
  return { commit: offset, prepare: offset };
}
