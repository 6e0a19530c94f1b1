import type { EventToAppend } from '#event-store';
import { evolve, Forbidden, type LaunchCommand, type LaunchEvent } from '#launch';
import { IdempotencyKeyReused, PreconditionFailed } from '../../http/errors.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { envelope } from './event-envelope.js';
import { scopeOf, type KeyedRecord } from './keyed-commands.js';
import type { StreamTip } from './stream-tips.js';

export interface CommandOutcome extends CommandResult {
  /** The command's events: appended now, or, for a repeated Idempotency-Key, the ones stored the first time. */
  events: LaunchEvent[];
  /** A repeat of a key whose events were stored already: the answer is rebuilt from them. */
  replayed: boolean;
}

export interface PendingCommand {
  launchId: string;
  command: LaunchCommand;
  context: CommandContext;
  resolve: (outcome: CommandOutcome) => void;
  reject: (error: unknown) => void;
}

export type Step =
  | { kind: 'accepted'; pending: PendingCommand; events: LaunchEvent[]; envelopes: EventToAppend[]; revision: number }
  | { kind: 'repeat'; pending: PendingCommand; record: KeyedRecord }
  | { kind: 'refused'; pending: PendingCommand; error: unknown }
  /** Same key as a command accepted earlier in this batch: decided after that one is stored. */
  | { kind: 'later'; pending: PendingCommand };

export interface Plan {
  steps: Step[];
  toAppend: EventToAppend[];
  /** The chain text of each event of `toAppend`, in the same order (the ledger's leaves are made from it). */
  texts: string[];
  /** The fold after the accepted commands (their keys not yet recorded: positions come with the append). */
  tip: StreamTip;
  refused: boolean;
}

/** Decides one command on a state: the domain's `decide`, with the clock and ids bound. */
export type DecideOne = (pending: PendingCommand, tip: StreamTip) => { events: LaunchEvent[]; occurredAt: string };

/** Decides each queued command in turn on the fold the earlier ones leave; settles nothing. */
export function planBatch(streamId: string, loaded: StreamTip, batch: readonly PendingCommand[], decideOne: DecideOne): Plan {
  let tip = loaded;
  const steps: Step[] = [];
  const toAppend: EventToAppend[] = [];
  const texts: string[] = [];
  const scopesInBatch = new Set<string>();
  let refused = false;
  for (const pending of batch) {
    const scope = scopeOf(pending.context);
    if (scope !== undefined && scopesInBatch.has(scope)) {
      steps.push({ kind: 'later', pending });
      continue;
    }
    try {
      const record = scope === undefined ? undefined : loaded.keyed.get(scope);
      if (record) {
        if (record.requestHash !== undefined && record.requestHash !== pending.context.requestHash) throw new IdempotencyKeyReused();
        steps.push({ kind: 'repeat', pending, record });
        continue;
      }
      const { events, occurredAt } = decideIfMatching(pending, tip, decideOne);
      const envelopes: EventToAppend[] = [];
      const eventTexts: string[] = [];
      let { state, revision, lastHash } = tip;
      for (const event of events) {
        revision++;
        const { stored, text } = envelope(event, { streamId, revision, prevHash: lastHash, index: envelopes.length }, pending.context, occurredAt);
        envelopes.push(stored);
        eventTexts.push(text);
        lastHash = String(stored.metadata.hash);
        state = evolve(state, event, { occurredAt, actor: pending.context.actor });
      }
      tip = { ...tip, state, revision, lastHash };
      toAppend.push(...envelopes);
      texts.push(...eventTexts);
      if (scope !== undefined) scopesInBatch.add(scope);
      steps.push({ kind: 'accepted', pending, events, envelopes, revision });
    } catch (error) {
      refused = true;
      steps.push({ kind: 'refused', pending, error });
    }
  }
  return { steps, toAppend, texts, tip, refused };
}

/**
 * Decides a command sent with `If-Match` only on the revision it names: a principal the command is
 * forbidden to gets 403 whatever it names (the domain authorises, once); otherwise a stale
 * revision is 412 before any other refusal.
 */
function decideIfMatching(pending: PendingCommand, tip: StreamTip, decideOne: DecideOne): ReturnType<DecideOne> {
  const { ifMatch } = pending.context;
  const stale = ifMatch !== undefined && tip.state.exists && ifMatch !== tip.revision;
  try {
    const decided = decideOne(pending, tip);
    if (stale) throw new PreconditionFailed(tip.revision);
    return decided;
  } catch (error) {
    if (stale && !(error instanceof Forbidden)) throw new PreconditionFailed(tip.revision);
    throw error;
  }
}

/** The answer to a repeated key, rebuilt from the events stored the first time. */
export function replayOf(launchId: string, record: KeyedRecord): CommandOutcome {
  const last = record.events[record.events.length - 1];
  return { launchId, revision: last.revision, position: last.position, events: record.events.map((e) => e.event), replayed: true };
}
