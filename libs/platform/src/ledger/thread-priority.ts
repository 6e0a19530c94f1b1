import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/**
 * Lowers the CPU priority of the calling worker thread alone: on Linux a thread is a task with its
 * own nice value, named by /proc/thread-self, and os.setPriority on its id changes that task only.
 * Returns whether it did; on the main thread, on other systems or when refused it changes nothing.
 */
export function lowerThisThreadPriority(nice: number): boolean {
  if (isMainThread || process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isSafeInteger(tid) || tid <= 0 || tid === process.pid) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
