import type { EventStore } from '#event-store';
import type { Projector } from '../projector/projector.js';

/** Waits until the projector has processed every event stored when it last looked (the head moves while it works). */
export async function catchUp(projector: Projector, eventStore: EventStore, isCancelled: () => boolean = () => false): Promise<number> {
  for (;;) {
    if (isCancelled()) throw new Error('the rebuild was stopped before it caught up');
    const head = await eventStore.headPosition();
    if (await projector.waitForPosition(head, 500)) return head;
  }
}
