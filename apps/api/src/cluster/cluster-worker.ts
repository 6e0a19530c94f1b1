import { LISTENING, STOP, type ListeningMessage } from './workers.js';

/**
 * Wires a cluster worker to its primary: it says when it serves, shuts down when the primary asks
 * (or disappears). The shutdown is the app's own (Nest's shutdown hooks on SIGTERM), started only
 * if none is under way: those hooks stop listening for signals once they begin, so a second signal
 * would kill the worker in the middle of closing its stores.
 */
export function joinPrimary(): { serving(port: number): void } {
  let started = false;
  const shutDown = () => {
    if (!started) process.exit(0); // still starting: nothing served yet, and every store survives a stop at any moment
    if (process.listenerCount('SIGTERM') > 0) process.kill(process.pid, 'SIGTERM');
  };
  process.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === STOP) shutDown();
  });
  process.on('disconnect', shutDown);
  return {
    serving: (port) => {
      started = true;
      process.send?.({ type: LISTENING, port } satisfies ListeningMessage);
    },
  };
}
