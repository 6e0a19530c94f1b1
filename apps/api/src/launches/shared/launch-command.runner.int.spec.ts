import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore, verifyChain, type AppendResult, type EventStore } from '#event-store';
import { BUILT_IN_TEMPLATES, launchStreamId, type Actor, type LaunchCommand } from '#launch';
import { PreconditionFailed } from '../../http/errors.js';
import { systemClock } from '../../infrastructure/injection-tokens.js';
import { AcknowledgedPosition } from './acknowledged-position.js';
import type { CommandContext } from './command-context.js';
import { requestFingerprint } from './keyed-commands.js';
import { LaunchCommandRunner } from './launch-command.runner.js';

const manager: Actor = { id: 'manager-1', name: 'Maria', role: 'launch-manager' };

/** Two command runners over one store stand for two API processes: each has its own cached folds. */
describe('LaunchCommandRunner with another writer on the same store', () => {
  let store: SqliteEventStore;
  let gate: { open: () => void; wait: Promise<void> } | undefined;
  const runner = (over: EventStore = store) => new LaunchCommandRunner(over, systemClock, BUILT_IN_TEMPLATES, new AcknowledgedPosition());
  /** A view of the store whose appends wait for `gate`: this runner decides, then another one appends first. */
  const heldBack = (): EventStore =>
    Object.assign(Object.create(store) as EventStore, {
      append: async (...args: Parameters<EventStore['append']>): Promise<AppendResult> => {
        await gate?.wait;
        return store.append(...args);
      },
    });

  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
    gate = undefined;
  });
  afterEach(() => store.close());

  const context = (command: LaunchCommand, key?: string): CommandContext => ({
    actor: manager,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    ...(key !== undefined && { idempotencyKey: key, requestHash: requestFingerprint('POST', `/${command.type}`, command.data) }),
  });
  const addTask = (title: string): LaunchCommand => ({ type: 'AddTask', data: { title, department: 'sales' } }) as LaunchCommand;

  async function createLaunch(on: LaunchCommandRunner): Promise<string> {
    const launchId = randomUUID();
    const command = { type: 'CreateLaunch', data: { launchId, name: 'Beacon', product: 'B', targetDate: '2031-01-10', tier: 3 } } as LaunchCommand;
    await on.run(launchId, command, context(command));
    return launchId;
  }

  const storedTaskIds = async (launchId: string): Promise<string[]> => {
    const ids: string[] = [];
    for await (const e of store.readStream(launchStreamId(launchId))) if (e.type === 'TaskAdded') ids.push(String(e.data.taskId));
    return ids;
  };

  it('answers a key decided at once by two runners with the stored task id, and the chain stays whole', async () => {
    const [a, b] = [runner(), runner(heldBack())];
    const launchId = await createLaunch(a);
    let open!: () => void;
    gate = { open: () => open(), wait: new Promise<void>((resolve) => (open = resolve)) };
    const command = addTask('Train the reps');

    const fromB = b.run(launchId, command, context(command, 'add-1')); // decided, append held back
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fromA = await a.run(launchId, command, context(command, 'add-1'));
    gate.open();
    const answeredByB = await fromB;

    const stored = await storedTaskIds(launchId);
    const taskId = (o: typeof fromA) => o.events.find((e) => e.type === 'TaskAdded')?.data as { taskId: string } | undefined;
    expect(stored.filter((id) => id === taskId(fromA)?.taskId)).toHaveLength(1);
    expect({ ...answeredByB, replayed: false }).toEqual(fromA);
    expect(answeredByB.replayed).toBe(true);
    // B's next command is decided on what the store holds, so it completes a task that exists and the chain holds.
    await b.run(launchId, { type: 'CompleteTask', data: { taskId: taskId(answeredByB)!.taskId } } as LaunchCommand, context(addTask('x')));
    expect(await verifyChain(store.readStream(launchStreamId(launchId)))).toMatchObject({ valid: true });
  });

  it('decides again on the stored stream when its cached fold is behind another writer', async () => {
    const [a, b] = [runner(), runner()];
    const launchId = await createLaunch(a);
    await b.run(launchId, addTask('first'), context(addTask('first'))); // b caches the fold
    await a.run(launchId, addTask('second'), context(addTask('second'))); // b's cache is now one write behind

    const outcome = await b.run(launchId, addTask('third'), context(addTask('third')));

    expect(outcome.revision).toBe((await store.headPosition()) - 1);
    expect(await verifyChain(store.readStream(launchStreamId(launchId)))).toMatchObject({ valid: true });
  });

  it('replays a key from the store to a runner that never saw it, and refuses the key for another request', async () => {
    const [a, b] = [runner(), runner()];
    const launchId = await createLaunch(a);
    const command = addTask('Brief support');
    const first = await a.run(launchId, command, context(command, 'k'));

    expect(await b.run(launchId, command, context(command, 'k'))).toEqual({ ...first, replayed: true });
    await expect(b.run(launchId, addTask('Something else'), context(addTask('Something else'), 'k'))).rejects.toThrow(/already used for a different request/);
    expect(await storedTaskIds(launchId)).toEqual([(first.events[0].data as { taskId: string }).taskId]);
  });

  it('refuses a forbidden command with 403 whatever If-Match names, and a stale If-Match with 412 before other refusals', async () => {
    const a = runner();
    const launchId = await createLaunch(a);
    const sales: Actor = { id: 'sales-1', name: 'Sam', role: 'department', department: 'sales' };
    const cancel = { type: 'CancelLaunch', data: { reason: 'no' } } as LaunchCommand;
    const markLaunched = { type: 'MarkLaunched', data: {} } as LaunchCommand;

    await expect(a.run(launchId, cancel, { ...context(cancel), actor: sales, ifMatch: 99 })).rejects.toMatchObject({ kind: 'forbidden' });
    // Marking a planning launch launched is a 409, but the stale revision is what the caller must learn first.
    await expect(a.run(launchId, markLaunched, { ...context(markLaunched), ifMatch: 99 })).rejects.toBeInstanceOf(PreconditionFailed);
    await expect(a.run(launchId, markLaunched, context(markLaunched))).rejects.toMatchObject({ kind: 'conflict' });
  });
});
