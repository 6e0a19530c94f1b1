/**
 * The projector thread: runs the projections (GenerationalProjector) over its own connections to
 * the embedded event log and read models, so that applying events and committing views never
 * takes the API's event loop. It tells the API of every checkpoint move, switch and rebuild change
 * (see ProjectorThread); the API tells it of its commits and asks it for rebuilds.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '#event-store';
import { GenerationalProjector, PROJECTIONS, ReadModelGenerations, SqliteReadModelStore } from '#read-models';
import { SqliteLeaseStore } from '#leases';
import { rebuildUnderLease, RebuildRunningError } from './leased-rebuild.js';
import type { FromProjectorThread, ProjectorThreadData, ToProjectorThread } from './projector-thread.messages.js';

/** A status sent at least this often, so that a projection retrying without progress is seen. */
const HEARTBEAT_MS = 1000;

const port = parentPort;
if (!port) throw new Error('projector.worker runs as a worker thread');
const data = workerData as ProjectorThreadData;
const send = (message: FromProjectorThread): void => port.postMessage(message);

const eventStore = new SqliteEventStore({ filename: data.eventsFile, reader: true });
const readModels = new SqliteReadModelStore({ filename: data.viewsFile });
const leases = { store: new SqliteLeaseStore(data.leasesFile), owner: data.leaseOwner, ttlMs: data.leaseTtlMs };
let progressQueued = false;
const projector: GenerationalProjector = new GenerationalProjector({
  eventStore,
  store: readModels,
  projections: PROJECTIONS,
  generations: new ReadModelGenerations(readModels),
  logger: {
    log: (message) => send({ type: 'log', level: 'log', message }),
    error: (message, error) => send({ type: 'log', level: 'error', message: `${message}${error instanceof Error ? `: ${error.message}` : ''}` }),
  },
  // Commits come in bursts: one message per turn of this thread's loop.
  onProgress: () => {
    if (progressQueued) return;
    progressQueued = true;
    setImmediate(sendProgress);
  },
});

function sendProgress(): void {
  progressQueued = false;
  send({ type: 'progress', status: projector.status(), rebuild: projector.rebuildStatus() });
}

const heartbeat = setInterval(sendProgress, HEARTBEAT_MS);

port.on('message', (message: ToProjectorThread) => {
  switch (message.type) {
    case 'committed':
      eventStore.notifyCommitted();
      return;
    case 'rebuild': {
      const id = message.id;
      rebuildUnderLease(projector, leases).then(
        (rebuild) => send({ type: 'rebuild-started', id, rebuild }),
        (error: unknown) =>
          send({ type: 'rebuild-started', id, error: error instanceof Error ? error.message : String(error), running: error instanceof RebuildRunningError }),
      );
      return;
    }
    case 'stop':
      void stop();
      return;
  }
});

async function stop(): Promise<void> {
  clearInterval(heartbeat);
  await projector.stop();
  await eventStore.close();
  await readModels.close();
  await leases.store.close();
  send({ type: 'stopped' });
  port!.close();
}

await projector.start();
sendProgress();
send({ type: 'started' });
