import { GENESIS_HASH, type EventStore } from '#event-store';
import { eventContext, evolve, initialState, type LaunchState, toLaunchEvent } from '#launch';
import { addKeyedEvent, storedScope, type KeyedRecord } from './keyed-commands.js';

/** A launch stream folded up to `revision` (-1: no stream yet). */
export interface StreamTip {
  state: LaunchState;
  revision: number;
  position: number;
  lastHash: string;
  /** The Idempotency-Keys whose events the stream holds, by scope (see keyed-commands.ts). */
  keyed: ReadonlyMap<string, KeyedRecord>;
  /** Read from the store just now, rather than taken from the cache. */
  verified: boolean;
}

const EMPTY: StreamTip = { state: initialState, revision: -1, position: 0, lastHash: GENESIS_HASH, keyed: new Map(), verified: true };
const MAX_CACHED_STREAMS = 10_000;

/**
 * The folds of the streams this process touched (the most recent 10,000). A cached fold is only an
 * optimisation: it holds nothing but what was read from the store or appended by this process and
 * acknowledged as written, and it is dropped after any conflict or divergent repeat.
 */
export class StreamTips {
  private readonly tips = new Map<string, StreamTip>();

  constructor(private readonly store: EventStore) {}

  /** The cached fold as it is (`verify` false), or the stream read from the cached revision on. */
  async load(streamId: string, verify: boolean): Promise<StreamTip> {
    const cached = this.tips.get(streamId);
    if (cached && !verify) return { ...cached, verified: false };
    const from = cached ?? EMPTY;
    let { state, revision, position, lastHash } = from;
    let keyed: Map<string, KeyedRecord> | undefined; // copied once, on the first keyed event read
    for await (const recorded of this.store.readStream(streamId, { fromRevision: revision + 1 })) {
      const event = toLaunchEvent(recorded);
      if (event) state = evolve(state, event, eventContext(recorded));
      const scope = storedScope(recorded);
      if (scope && event) {
        keyed ??= new Map(from.keyed);
        addKeyedEvent(keyed, scope, stringOrUndefined(recorded.metadata.requestHash), { event, revision: recorded.revision, position: recorded.position });
      }
      ({ revision, position } = recorded);
      lastHash = String(recorded.metadata.hash ?? '');
    }
    const tip: StreamTip = { state, revision, position, lastHash, keyed: keyed ?? from.keyed, verified: true };
    this.remember(streamId, tip);
    return tip;
  }

  remember(streamId: string, tip: StreamTip): void {
    this.tips.delete(streamId);
    this.tips.set(streamId, tip);
    if (this.tips.size > MAX_CACHED_STREAMS) this.tips.delete(this.tips.keys().next().value as string);
  }

  forget(streamId: string): void {
    this.tips.delete(streamId);
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
