import { verifyChain, type EventStore } from '#event-store';
import { launchStreamId } from '#launch';

export interface LaunchVerification {
  launchId: string;
  valid: boolean;
  /** How many events the launch's stream holds. */
  events: number;
  /** The first revision whose stored event does not hash to its place in the chain. */
  firstInvalidRevision?: number;
}

/** Recomputes a launch's hash chain over its events exactly as stored (never upcast); null when it has none. */
export async function verifyLaunch(store: EventStore, launchId: string): Promise<LaunchVerification | null> {
  const result = await verifyChain(store.readStream(launchStreamId(launchId)));
  if (result.events === 0) return null;
  return { launchId, ...result };
}
