import { BrokenChainError, type EventToAppend } from './event-store.port.js';

/**
 * Refuses an append that would break its stream's hash chain: each event carrying a `prevHash` must
 * link to the stored head's hash (`headHash`, undefined for a new stream: the genesis hash) or to
 * the event before it in the append. The embedded writer checks the same inside its transaction.
 */
export function checkChainLinks(
  streamId: string,
  events: readonly EventToAppend[],
  head: { revision: number; hash: string | undefined } | undefined,
  genesisHash: string,
): void {
  let expectedPrevHash = head ? head.hash : genesisHash;
  let revision = head ? head.revision : -1;
  for (const event of events) {
    revision += 1;
    const { prevHash, hash } = event.metadata;
    if (typeof prevHash === 'string' && prevHash !== expectedPrevHash) {
      throw new BrokenChainError(streamId, revision, String(expectedPrevHash), prevHash);
    }
    expectedPrevHash = typeof hash === 'string' ? hash : undefined;
  }
}
