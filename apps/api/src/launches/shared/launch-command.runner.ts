import { Inject, Injectable } from '@nestjs/common';
import { GENESIS_HASH, WrongExpectedRevisionError, type EventStore, type EventToAppend } from '#event-store';
import {
  authorize,
  decide,
  evolve,
  initialState,
  launchStreamId,
  type LaunchCommand,
  type LaunchEvent,
  type LaunchState,
  toLaunchEvent,
  type TierTemplate,
} from '#launch';
import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict, PreconditionFailed } from '../../http/errors.js';
import { CLOCK, EVENT_STORE, TEMPLATES, type Clock } from '../../infrastructure/injection-tokens.js';
import { AcknowledgedPosition } from './acknowledged-position.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { envelope, eventContext, idempotentEventId } from './event-envelope.js';

export interface CommandOutcome extends CommandResult {
  /** The events this command appended (empty when it changed nothing or was an idempotent repeat). */
  events: LaunchEvent[];
}

/** A launch stream folded up to `revision` (-1: no stream yet). */
interface Tip {
  state: LaunchState;
  revision: number;
  position: number;
  lastHash: string;
  /** Events appended under an Idempotency-Key, by event id, so a retry finds its first answer. */
  keyed: Map<string, { revision: number; position: number }>;
  /** Read from the store just now, rather than taken from the cache. */
  verified: boolean;
}

interface Pending {
  launchId: string;
  command: LaunchCommand;
  context: CommandContext;
  resolve: (outcome: CommandOutcome) => void;
  reject: (error: unknown) => void;
}

type Accepted = { kind: 'accepted'; pending: Pending; events: LaunchEvent[]; firstIndex: number; revision: number };

interface Plan {
  steps: Array<Accepted | { kind: 'repeat'; pending: Pending; outcome: CommandOutcome } | { kind: 'refused'; pending: Pending; error: unknown }>;
  toAppend: EventToAppend[];
  /** The fold after the accepted commands. */
  tip: Tip;
  /** Some command was refused (domain error, failed If-Match). */
  refused: boolean;
}

const MAX_ATTEMPTS = 8;
const MAX_CACHED_STREAMS = 10_000;

/**
 * Runs commands on launches: read → fold → decide → append with the expected revision.
 * Commands on one stream queue up and are decided one after the other on the same fold, then
 * appended together (one write, one fsync), so concurrent confirmations of one launch do not
 * fight; a conflict with another writer reloads and decides again unless `If-Match` was sent.
 */
@Injectable()
export class LaunchCommandRunner {
  private readonly queues = new Map<string, Pending[]>();
  private readonly tips = new Map<string, Tip>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TEMPLATES) private readonly templates: readonly TierTemplate[],
    private readonly acknowledged: AcknowledgedPosition,
  ) {}

  run(launchId: string, command: LaunchCommand, context: CommandContext): Promise<CommandOutcome> {
    authorize(context.actor, command.type);
    return new Promise((resolve, reject) => {
      const streamId = launchStreamId(launchId);
      const pending: Pending = { launchId, command, context, resolve, reject };
      const queue = this.queues.get(streamId);
      if (queue) {
        queue.push(pending);
        return;
      }
      const fresh = [pending];
      this.queues.set(streamId, fresh);
      void this.drain(streamId, fresh);
    });
  }

  private async drain(streamId: string, queue: Pending[]): Promise<void> {
    try {
      while (queue.length > 0) await this.process(streamId, queue.splice(0, queue.length), 1);
    } finally {
      this.queues.delete(streamId);
    }
  }

  private async process(streamId: string, batch: Pending[], attempt: number): Promise<void> {
    let loaded: Tip;
    let plan: Plan;
    try {
      loaded = await this.load(streamId, false);
      plan = this.plan(streamId, loaded, batch);
      // A refusal is only ever given on the stream as stored: a cached fold may be behind another
      // writer (another API instance on the same KurrentDB), so read what was appended and decide again.
      if (!loaded.verified && plan.refused) {
        loaded = await this.load(streamId, true);
        plan = this.plan(streamId, loaded, batch);
      }
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const step of plan.steps) {
      if (step.kind === 'repeat') step.pending.resolve(step.outcome);
      else if (step.kind === 'refused') step.pending.reject(step.error);
    }
    const accepted = plan.steps.filter((step): step is Accepted => step.kind === 'accepted');
    const { toAppend, tip } = plan;
    if (toAppend.length === 0) {
      for (const { pending, revision } of accepted) pending.resolve({ launchId: pending.launchId, revision, position: loaded.position, events: [] });
      return;
    }
    try {
      // The expected revision guards a cached fold too: if another writer appended meanwhile, this fails and the stream is read again.
      const result = await this.store.append(streamId, toAppend, loaded.revision < 0 ? 'no_stream' : loaded.revision);
      this.remember(streamId, { ...tip, position: result.position });
      this.acknowledged.advance(result.position);
      for (const { pending, events, firstIndex, revision } of accepted) {
        const position =
          events.length === 0 ? tip.position : result.firstPosition !== undefined ? result.firstPosition + firstIndex + events.length - 1 : result.position;
        pending.resolve({ launchId: pending.launchId, revision, position, events });
      }
    } catch (error) {
      this.tips.delete(streamId);
      if (!(error instanceof WrongExpectedRevisionError)) {
        for (const { pending } of accepted) pending.reject(error);
        return;
      }
      const retry: Pending[] = [];
      for (const { pending } of accepted) {
        if (pending.context.ifMatch !== undefined) pending.reject(new PreconditionFailed(undefined));
        else if (attempt >= MAX_ATTEMPTS) pending.reject(new ConcurrencyConflict('the launch kept changing under this command; retry it'));
        else retry.push(pending);
      }
      if (retry.length > 0) await this.process(streamId, retry, attempt + 1);
    }
  }

  /** Decides each queued command in turn on the fold the earlier ones leave; settles nothing. */
  private plan(streamId: string, loaded: Tip, batch: Pending[]): Plan {
    let tip = loaded;
    const steps: Plan['steps'] = [];
    const toAppend: EventToAppend[] = [];
    let refused = false;
    for (const pending of batch) {
      try {
        const repeat = this.repeatOf(tip, pending);
        if (repeat) {
          steps.push({ kind: 'repeat', pending, outcome: repeat });
          continue;
        }
        if (pending.context.ifMatch !== undefined && tip.state.exists && pending.context.ifMatch !== tip.revision) {
          throw new PreconditionFailed(tip.revision);
        }
        const now = this.clock.now();
        const events = decide(pending.command, tip.state, {
          actor: pending.context.actor,
          now,
          newId: randomUUID,
          templates: this.templates,
        });
        const firstIndex = toAppend.length;
        tip = this.advance(tip, streamId, events, pending.context, now.toISOString(), toAppend);
        steps.push({ kind: 'accepted', pending, events, firstIndex, revision: tip.revision });
      } catch (error) {
        refused = true;
        steps.push({ kind: 'refused', pending, error });
      }
    }
    return { steps, toAppend, tip, refused };
  }

  /** An Idempotency-Key whose events are already in the stream: answer as the first time. */
  private repeatOf(tip: Tip, pending: Pending): CommandOutcome | undefined {
    const key = pending.context.idempotencyKey;
    if (key === undefined) return undefined;
    let found = tip.keyed.get(idempotentEventId(pending.context.actor.id, key, 0));
    if (!found) return undefined;
    for (let i = 1; ; i++) {
      const next = tip.keyed.get(idempotentEventId(pending.context.actor.id, key, i));
      if (!next) break;
      found = next;
    }
    return { launchId: pending.launchId, revision: found.revision, position: found.position, events: [] };
  }

  private advance(tip: Tip, streamId: string, events: LaunchEvent[], context: CommandContext, occurredAt: string, out: EventToAppend[]): Tip {
    let { state, revision, lastHash } = tip;
    for (const event of events) {
      revision++;
      const stored = envelope(event, { streamId, revision, prevHash: lastHash, index: out.length }, context, occurredAt);
      out.push(stored);
      lastHash = String(stored.metadata.hash);
      state = evolve(state, event, { occurredAt, actor: context.actor });
    }
    return { ...tip, state, revision, lastHash };
  }

  /**
   * The stream's tip. Unless `verify`, a cached fold is trusted as it is (this process's own appends
   * keep it current; the append's expected revision catches another writer). Otherwise the stream
   * is read from the cached revision on (or from the start).
   */
  private async load(streamId: string, verify: boolean): Promise<Tip> {
    const cached = this.tips.get(streamId);
    if (cached && !verify) return { ...cached, verified: false };
    let tip: Tip = cached
      ? { ...cached, verified: true }
      : { state: initialState, revision: -1, position: 0, lastHash: GENESIS_HASH, keyed: new Map(), verified: true };
    for await (const recorded of this.store.readStream(streamId, { fromRevision: tip.revision + 1 })) {
      const event = toLaunchEvent(recorded);
      if (event) tip.state = evolve(tip.state, event, eventContext(recorded));
      tip = { ...tip, revision: recorded.revision, position: recorded.position, lastHash: String(recorded.metadata.hash ?? '') };
      if (recorded.metadata.idempotencyKey !== undefined) tip.keyed.set(recorded.eventId, { revision: recorded.revision, position: recorded.position });
    }
    this.remember(streamId, tip);
    return tip;
  }

  private remember(streamId: string, tip: Tip): void {
    this.tips.delete(streamId);
    this.tips.set(streamId, tip);
    if (this.tips.size > MAX_CACHED_STREAMS) this.tips.delete(this.tips.keys().next().value as string);
  }
}
