import { Inject, Injectable, Optional } from '@nestjs/common';
import { BrokenChainError, DuplicateEventIdError, WrongExpectedRevisionError, type AppendResult, type EventStore } from '#event-store';
import { decide, launchStreamId, type LaunchCommand, type TierTemplate } from '#launch';
import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict, IdempotencyKeyReused, PreconditionFailed } from '../../http/errors.js';
import { CLOCK, EVENT_STORE, TEMPLATES, type Clock } from '../../infrastructure/injection-tokens.js';
import { sealEvents } from '#ledger';
import { AppendedLeaves } from '#platform';
import { EVENT_MAC_KEY } from '../../ledger/ledger-tokens.js';
import { AcknowledgedPosition } from './acknowledged-position.js';
import type { CommandContext } from './command-context.js';
import { planBatch, replayOf, type CommandOutcome, type DecideOne, type PendingCommand, type Plan, type Step } from './command-plan.js';
import { addKeyedEvent, scopeOf } from './keyed-commands.js';
import { StreamQueues } from './stream-queues.js';
import { StreamTips, type StreamTip } from './stream-tips.js';

export type { CommandOutcome } from './command-plan.js';

const MAX_ATTEMPTS = 8;
type Accepted = Extract<Step, { kind: 'accepted' }>;

/**
 * Runs commands on launches: read → fold → decide → append with the expected revision.
 *
 * Commands on one stream queue up (StreamQueues) and are decided one after the other on the same
 * fold (planBatch), then appended together: one write, one fsync. The fold may come from this
 * process's cache (StreamTips), but nothing is ever answered from a state the store does not hold:
 * a refusal and a keyed command are decided on the stream as stored, the expected revision and
 * the store's chain check catch another writer, and after any conflict or divergent repeat the
 * stream is read again. An Idempotency-Key's record is the events its command stored; a repeat is
 * answered from them (replayOf), whichever process took the first try.
 */
@Injectable()
export class LaunchCommandRunner {
  private readonly queues = new StreamQueues<PendingCommand>();
  private readonly tips: StreamTips;
  private readonly decideOne: DecideOne;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) clock: Clock,
    @Inject(TEMPLATES) templates: readonly TierTemplate[],
    private readonly acknowledged: AcknowledgedPosition,
    /** With the ledger on: the key that MACs the events as they are written. */
    @Optional() @Inject(EVENT_MAC_KEY) private readonly macKey?: Buffer | null,
    @Optional() private readonly appendedLeaves?: AppendedLeaves,
  ) {
    this.tips = new StreamTips(store);
    this.decideOne = ({ command, context }, tip) => {
      const now = clock.now();
      return { events: decide(command, tip.state, { actor: context.actor, now, newId: randomUUID, templates }), occurredAt: now.toISOString() };
    };
  }

  run(launchId: string, command: LaunchCommand, context: CommandContext): Promise<CommandOutcome> {
    return new Promise((resolve, reject) => {
      this.queues.enqueue(launchStreamId(launchId), { launchId, command, context, resolve, reject }, (streamId, batch) => this.process(streamId, batch, 1));
    });
  }

  /** Settles every command of `batch`; returns those to run again after it (same key as an earlier one). */
  private async process(streamId: string, batch: PendingCommand[], attempt: number): Promise<PendingCommand[]> {
    let loaded: StreamTip;
    let plan: Plan;
    try {
      loaded = await this.tips.load(
        streamId,
        batch.some((p) => p.context.idempotencyKey !== undefined),
      );
      plan = planBatch(streamId, loaded, batch, this.decideOne);
      if (!loaded.verified && plan.refused) {
        loaded = await this.tips.load(streamId, true);
        plan = planBatch(streamId, loaded, batch, this.decideOne);
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return [];
    }
    const accepted = plan.steps.filter((step): step is Accepted => step.kind === 'accepted');
    const later = plan.steps.flatMap((step) => (step.kind === 'later' ? [step.pending] : []));
    for (const step of plan.steps) {
      if (step.kind === 'refused') step.pending.reject(step.error);
      else if (step.kind === 'repeat') step.pending.resolve(replayOf(step.pending.launchId, step.record));
    }
    if (plan.toAppend.length === 0) {
      for (const { pending, revision } of accepted)
        pending.resolve({ launchId: pending.launchId, revision, position: loaded.position, events: [], replayed: false });
      return later;
    }
    let leaves: Buffer[] = [];
    const macKey = this.macKey;
    // Sealed when the store takes the append to write it (with the rest of its group commit).
    const sealing = macKey
      ? { beforeWrite: () => (leaves = sealEvents(macKey, plan.toAppend, this.appendedLeaves?.collecting ? plan.texts : undefined)) }
      : undefined;
    let result: AppendResult;
    try {
      result = await this.store.append(streamId, plan.toAppend, loaded.revision < 0 ? 'no_stream' : loaded.revision, sealing);
    } catch (error) {
      this.tips.forget(streamId);
      const retry = this.afterFailedAppend(error, accepted, attempt);
      return [...(retry.length > 0 ? await this.process(streamId, retry, attempt + 1) : []), ...later];
    }
    if (result.divergent) {
      // Another process stored these keyed events first, decided its own way: answer from what is stored.
      this.tips.forget(streamId);
      return [
        ...(await this.process(
          streamId,
          accepted.map((step) => step.pending),
          attempt + 1,
        )),
        ...later,
      ];
    }
    if (result.firstPosition !== undefined && leaves.length > 0) this.appendedLeaves?.appended(result.firstPosition, leaves);
    try {
      const positions = await this.positionsOf(streamId, loaded.revision, result);
      this.tips.remember(streamId, recordKeys({ ...plan.tip, position: result.position }, accepted, positions));
      this.acknowledged.advance(result.position);
      for (const { pending, events, revision } of accepted) {
        pending.resolve({
          launchId: pending.launchId,
          revision,
          position: events.length === 0 ? loaded.position : positions(revision),
          events,
          replayed: false,
        });
      }
    } catch (error) {
      this.tips.forget(streamId);
      for (const { pending } of accepted) pending.reject(error);
    }
    return later;
  }

  /** Which commands of a failed append to decide again; rejects the others. */
  private afterFailedAppend(error: unknown, accepted: Accepted[], attempt: number): PendingCommand[] {
    if (error instanceof DuplicateEventIdError) {
      // A key's deterministic event ids are stored on another stream: the key was used for another request.
      const owner = accepted.find((step) => step.envelopes.some((e) => e.eventId === error.eventId));
      owner?.pending.reject(new IdempotencyKeyReused());
      return accepted.filter((step) => step !== owner).map((step) => step.pending);
    }
    if (!(error instanceof WrongExpectedRevisionError || error instanceof BrokenChainError)) {
      for (const { pending } of accepted) pending.reject(error);
      return [];
    }
    const retry: PendingCommand[] = [];
    for (const { pending } of accepted) {
      if (pending.context.ifMatch !== undefined) pending.reject(new PreconditionFailed(undefined));
      else if (attempt >= MAX_ATTEMPTS) pending.reject(new ConcurrencyConflict('the launch kept changing under this command; retry it'));
      else retry.push(pending);
    }
    return retry;
  }

  /**
   * The position of each appended revision. Where the adapter's positions are contiguous within an
   * append they are computed; elsewhere (KurrentDB) the appended events are read back.
   */
  private async positionsOf(streamId: string, before: number, result: AppendResult): Promise<(revision: number) => number> {
    const { firstPosition } = result;
    if (firstPosition !== undefined) return (revision) => firstPosition + (revision - before - 1);
    const byRevision = new Map<number, number>();
    for await (const event of this.store.readStream(streamId, { fromRevision: before + 1, toRevision: result.revision }))
      byRevision.set(event.revision, event.position);
    return (revision) => byRevision.get(revision) ?? result.position;
  }
}

/** The tip after an append, with the keys of its keyed commands recorded at their stored places. */
function recordKeys(tip: StreamTip, accepted: Accepted[], positionAt: (revision: number) => number): StreamTip {
  const keyedSteps = accepted.filter((step) => scopeOf(step.pending.context) !== undefined && step.events.length > 0);
  if (keyedSteps.length === 0) return tip;
  const keyed = new Map(tip.keyed);
  for (const { pending, events, revision } of keyedSteps) {
    const first = revision - events.length + 1;
    events.forEach((event, i) =>
      addKeyedEvent(keyed, scopeOf(pending.context)!, pending.context.requestHash, { event, revision: first + i, position: positionAt(first + i) }),
    );
  }
  return { ...tip, keyed };
}
