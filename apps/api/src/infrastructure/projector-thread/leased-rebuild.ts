import type { GenerationalProjector, RebuildStatus } from '#read-models';
import { LEASES, takeLease, type LeaseStore } from '#leases';
import { StoreUnavailableError } from '#event-store';

/** Where this process's leases are kept, who it is in them, and how long they last. */
export interface LeaseContext {
  store: LeaseStore;
  owner: string;
  ttlMs: number;
}

/** A rebuild is running already, in this process or another (HTTP 409). */
export class RebuildRunningError extends Error {
  constructor(holder?: string) {
    super(`a rebuild of the read models is already running${holder ? ` (in ${holder})` : ''}; follow it with GET /v1/admin/projections`);
    this.name = 'RebuildRunningError';
  }
}

/**
 * Refuses when any process holds the rebuild lease (409); otherwise takes it for the whole rebuild.
 * A lease store that cannot be reached is a 503: whether a rebuild runs cannot be told.
 */
export async function takeRebuildLease(leases: LeaseContext, onLost: () => void) {
  const held = await takeLease({ store: leases.store, name: LEASES.rebuild, owner: leases.owner, ttlMs: leases.ttlMs, onLost }).catch((error: unknown) => {
    throw new StoreUnavailableError(`the lease store cannot take the rebuild lease: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  });
  if (!held) throw new RebuildRunningError((await leases.store.holder(LEASES.rebuild).catch(() => null))?.owner);
  return held;
}

/**
 * Starts a rebuild of `projector` under the `rebuild` lease, held until it has switched over or
 * failed: no two rebuilds ever build at once (one would drop the other's half-built generation). A
 * rebuild that loses the lease is cancelled, and checks it still holds it right before switching.
 */
export async function rebuildUnderLease(projector: GenerationalProjector, leases: LeaseContext): Promise<RebuildStatus> {
  if (projector.rebuildStatus().state === 'rebuilding') throw new RebuildRunningError('this process');
  const held = await takeRebuildLease(leases, () => projector.cancelRebuild());
  let status: RebuildStatus;
  try {
    status = projector.rebuild({ beforeSwitch: () => held.stillHeld() });
  } catch (error) {
    await held.release();
    throw error;
  }
  void projector.rebuilt().finally(() => held.release());
  return status;
}
