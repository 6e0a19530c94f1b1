import type { EventStore } from '#event-store';
import type { SignedHead } from '#ledger';
import { presentEvent } from '../history-event.js';

/**
 * The log as the tree holds it: its first `head.treeSize` events in global order, each as history
 * shows it plus `streamId` and `leafIndex`, one JSON object per line, then `{ "signedHead": … }`.
 */
export async function* ledgerExportLines(events: EventStore, head: SignedHead): AsyncGenerator<string> {
  let leafIndex = 0;
  let chunk = '';
  if (head.treeSize > 0) {
    for await (const event of events.readAll({ maxCount: head.treeSize })) {
      chunk += `${JSON.stringify({ streamId: event.streamId, ...presentEvent(event, { leafIndex: leafIndex++ }) })}\n`;
      if (chunk.length >= 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
  }
  yield `${chunk}${JSON.stringify({ signedHead: head })}\n`;
}
