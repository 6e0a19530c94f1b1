import type { LaunchState } from '#launch';

/** A launch folded up to `revision`; `latestOccurredAt` is the latest instant among the events folded. */
export interface FoldSnapshot {
  revision: number;
  state: LaunchState;
  lastOccurredAt: string;
  latestOccurredAtMs: number;
}

/** Take a snapshot every this many events while folding. */
export const SNAPSHOT_EVERY = 256;
const MAX_STREAMS = 1000;

/**
 * Folded states of launch streams at regular revisions, so time travel on a long stream folds only
 * the events after the nearest snapshot. Stored events never change, so a snapshot stays true.
 */
export class FoldSnapshots {
  private readonly byStream = new Map<string, FoldSnapshot[]>();

  /** The latest snapshot at or before `maxRevision` whose events had all occurred by `untilMs`. */
  nearest(streamId: string, maxRevision: number, untilMs: number): FoldSnapshot | undefined {
    const snapshots = this.byStream.get(streamId);
    if (!snapshots) return undefined;
    this.touch(streamId, snapshots);
    for (let i = snapshots.length - 1; i >= 0; i--) {
      const snapshot = snapshots[i];
      if (snapshot.revision <= maxRevision && snapshot.latestOccurredAtMs <= untilMs) return snapshot;
    }
    return undefined;
  }

  /** Keeps a snapshot if its revision is a multiple of SNAPSHOT_EVERY and not kept yet. */
  offer(streamId: string, snapshot: FoldSnapshot): void {
    if ((snapshot.revision + 1) % SNAPSHOT_EVERY !== 0) return;
    const snapshots = this.byStream.get(streamId) ?? [];
    if (snapshots.some((s) => s.revision === snapshot.revision)) return;
    snapshots.push(snapshot);
    snapshots.sort((a, b) => a.revision - b.revision);
    this.touch(streamId, snapshots);
    if (this.byStream.size > MAX_STREAMS) this.byStream.delete(this.byStream.keys().next().value as string);
  }

  private touch(streamId: string, snapshots: FoldSnapshot[]): void {
    this.byStream.delete(streamId);
    this.byStream.set(streamId, snapshots);
  }
}
