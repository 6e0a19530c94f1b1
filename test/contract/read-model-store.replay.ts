/**
 * Launch events and a minimal projector loop for the contract's replay and rebuild cases: the real
 * launch-views projection, applied through the real unit of work, committed through the port.
 */
import type { RecordedEvent } from '#event-store';
import { launchStreamId } from '#launch';
import { BatchUnitOfWork, DEPARTMENT_TASKS, LAUNCHES, launchViewsProjection, type ReadModelStore, type ViewDocument } from '#read-models';

const actor = { id: 'p1', name: 'Lee', role: 'launch-manager' };
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

const task = (taskId: string, department: string, kind: string, dueDate: string) => ({
  taskId,
  key: kind,
  title: `${kind} for ${department}`,
  department,
  kind,
  required: true,
  dueDate,
});

const created = (launchId: string, name: string) => ({
  type: 'LaunchCreated',
  data: {
    launchId,
    name,
    product: name,
    tier: 3,
    targetDate: '2030-01-10',
    templateVersion: 'v1',
    tasks: [
      task(`${name}-t1`, 'product-marketing', 'messaging', '2030-01-01'),
      task(`${name}-t2`, 'engineering', 'release', '2030-01-05'),
      task(`${name}-t3`, 'support', 'generic', '2030-01-07'),
    ],
  },
});

const script: Array<[launchId: string, type: string, data: Record<string, unknown>]> = [
  [A, created(A, 'Aurora').type, created(A, 'Aurora').data],
  [B, created(B, 'Borealis').type, created(B, 'Borealis').data],
  [A, 'MessagingApproved', { taskId: 'Aurora-t1', details: { documentUrl: 'https://docs.example.com/m', version: '1' } }],
  [A, 'TaskBlocked', { taskId: 'Aurora-t2', reason: 'waiting for QA' }],
  [B, 'TaskWaived', { taskId: 'Borealis-t3', reason: 'not needed' }],
  [A, 'TaskUnblocked', { taskId: 'Aurora-t2' }],
  [A, 'LaunchRescheduled', { targetDate: '2030-02-01', previousTargetDate: '2030-01-10', reason: 'QA' }],
  [B, 'ReleaseApproved', { taskId: 'Borealis-t2', details: { version: '2.0.0' } }],
  [A, 'TaskRenamed', { taskId: 'Aurora-t3', title: 'Support playbook', previousTitle: 'generic for support' }],
  [B, 'LaunchCancelled', { reason: 'merged into Aurora' }],
];

/** The launch events of two launches, positions 1…n, revisions per stream. */
export function launchEvents(): RecordedEvent[] {
  const revisions = new Map<string, number>();
  return script.map(([launchId, type, data], i) => {
    const revision = revisions.get(launchId) ?? 0;
    revisions.set(launchId, revision + 1);
    return {
      streamId: launchStreamId(launchId),
      revision,
      position: i + 1,
      eventId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      type,
      data,
      metadata: { actor, occurredAt: `2029-12-${String(10 + i).padStart(2, '0')}T10:00:00.000Z`, correlationId: `c${i}` },
      recordedAt: `2029-12-${String(10 + i).padStart(2, '0')}T10:00:00.000Z`,
    };
  });
}

/**
 * Applies `events` as one batch of the launch-views projection, as the projector does, but without
 * skipping events at or below the checkpoint: the caller decides what is replayed.
 */
export async function projectBatch(store: ReadModelStore, events: RecordedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const views = new BatchUnitOfWork(store, new Set(Object.keys(launchViewsProjection.collections)));
  for (const event of events) await launchViewsProjection.apply(event, views);
  await store.commit({ projection: launchViewsProjection.name, changes: views.changes(), position: events.at(-1)!.position });
}

/** Every launch-views document, by collection, ordered by id, and the checkpoint. */
export async function launchViewsSnapshot(store: ReadModelStore): Promise<Record<string, ViewDocument[] | number>> {
  return {
    [LAUNCHES]: await store.find(LAUNCHES),
    [DEPARTMENT_TASKS]: await store.find(DEPARTMENT_TASKS),
    checkpoint: await store.checkpoint(launchViewsProjection.name),
  };
}
