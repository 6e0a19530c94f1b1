import { verifyChain, type EventStore, type RecordedEvent } from '#event-store';
import { launchStreamId } from '#launch';
import { inspectEvent } from '#ledger';

export interface LaunchVerification {
  launchId: string;
  valid: boolean;
  /** How many events the launch's stream holds. */
  events: number;
  /** The first revision whose stored event does not hash to its place in the chain. */
  firstInvalidRevision?: number;
  /** The first revision the server's ledger key did not authenticate (written by something else). */
  firstUnauthenticatedRevision?: number;
}

/** What checks that the server appended an event: the MAC key, and the position up to which events predate the key. */
export interface EventAuthenticationKey {
  macKey: Buffer;
  adoptedThrough: number;
}

/**
 * Recomputes a launch's hash chain over its events exactly as stored (never upcast) and, given the
 * ledger key, checks each event's MAC: an event the server did not append makes it invalid too.
 * Null when the launch has no events.
 */
export async function verifyLaunch(store: EventStore, launchId: string, key?: EventAuthenticationKey | null): Promise<LaunchVerification | null> {
  let firstUnauthenticatedRevision: number | undefined;
  async function* checked(): AsyncGenerator<RecordedEvent> {
    for await (const event of store.readStream(launchStreamId(launchId))) {
      const unauthenticated = key && inspectEvent(key.macKey, event, event.position <= key.adoptedThrough).authenticity === 'unauthenticated';
      if (unauthenticated && firstUnauthenticatedRevision === undefined) firstUnauthenticatedRevision = event.revision;
      yield event;
    }
  }
  const result = await verifyChain(checked());
  if (result.events === 0) return null;
  if (firstUnauthenticatedRevision === undefined) return { launchId, ...result };
  return { launchId, ...result, valid: false, firstUnauthenticatedRevision };
}
