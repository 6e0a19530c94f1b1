import type { EventStore, RecordedEvent } from '#event-store';
import { eventLeafHash, extend, hashAt, signHead, type LedgerStore, type SignedHead, type TreeState } from '#ledger';
import type { HandedLeaves } from './appended-leaves.js';
import { inspect } from './event-authenticity.js';
import type { LedgerKey } from './ledger-key-file.js';

export interface LedgerKeeperOptions {
  /** How often the log is looked at for new events (a head is signed within a second of an append). */
  intervalMs?: number;
  /** Most events taken into the tree per signed head. */
  maxLeavesPerHead?: number;
  now?: () => Date;
  log: { log(line: string): void; error(line: string): void };
  /** Called with each head this keeper signed and stored. */
  onSigned?: (head: SignedHead) => void;
}

export type StepOutcome = 'extended' | 'idle' | 'lost-race' | 'fault';

/** Handed leaves kept at most (a keeper stopped at a fault takes none); beyond it events are checked in full. */
const MAX_HANDED = 200_000;

/**
 * Extends the Merkle tree over the global log and signs a head after each extension. Only events
 * that hash to their own `hash` and carry the server's MAC become leaves: at the first one that
 * does not, the tree stops there and the fault is reported (logged, and on `fault`), never signed
 * over. The event under the last leaf is re-read each time, so removing or changing it is noticed.
 *
 * The events this process appended come with their leaves (accept, from AppendedLeaves): while the
 * positions right after the tree's last leaf are such events, they are taken with the leaves they
 * were appended with, without reading them. Their positions were given to this process's own
 * appends, so no other writer's event is among them; the tree then holds what the server appended,
 * and a later edit of a stored event is the audit's to find (`audit check` compares every stored
 * event with its leaf). Any other event is read and checked in full.
 *
 * One process at a time runs it, under the `ledger` lease (LeasedLedgerKeeping). Beneath the lease,
 * each extension is written only onto the size it was computed from (LedgerStore.extend), so a
 * holder that was paused past its lease and wakes beside its successor writes nothing.
 */
export class LedgerKeeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failing: string | undefined;
  fault: string | undefined;
  private readonly handed = new Map<number, Buffer>();
  /** The tree as this keeper last wrote it: taken again while the store's latest head is still the one it signed. */
  private known: TreeState | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly ledger: LedgerStore,
    private readonly key: LedgerKey,
    private readonly options: LedgerKeeperOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.step()
        .then((outcome) => {
          this.failing = undefined;
          this.schedule(outcome === 'extended' ? 0 : this.pause());
        })
        .catch((error: unknown) => {
          // A store that is down fails every step: said once, not four times a second.
          const message = error instanceof Error ? error.message : String(error);
          if (message !== this.failing) this.options.log.error(`ledger: extending the tree failed (retrying): ${message}`);
          this.failing = message;
          this.schedule(this.pause());
        });
    }, delayMs);
    this.timer.unref();
  }

  /**
   * The interval ±20 %: keepers in several processes drift apart, so mostly one of them does each
   * extension and the others find the tree already grown (a cheap step).
   */
  private pause(): number {
    return Math.round((this.options.intervalMs ?? 250) * (0.8 + Math.random() * 0.4));
  }

  /** Leaves this process appended (positions ascending across calls, as the appends committed). */
  accept(batch: HandedLeaves): void {
    for (let i = 0; i < batch.positions.length && this.handed.size < MAX_HANDED; i++) this.handed.set(batch.positions[i], hashAt(batch.leaves, i));
  }

  /** Takes the next authenticated events into the tree and signs the new head. */
  async step(): Promise<StepOutcome> {
    await this.key.settleAdoption?.();
    const state = await this.treeState();
    const batch = this.options.maxLeavesPerHead ?? 1000;
    const leaves = state.size > 0 ? this.handedAfter(state.lastPositions[0], batch) : [];
    // Only the event under the last leaf when the next ones were handed; else up to a batch more.
    const read: RecordedEvent[] = [];
    const after = state.size >= 2 ? state.lastPositions[1] : 0;
    const maxCount = (state.size > 0 ? 1 : 0) + (leaves.length > 0 ? 0 : batch);
    for await (const event of this.events.readAll({ after, maxCount })) read.push(event);
    if (state.size > 0) {
      const underLastLeaf = read.shift();
      if (!underLastLeaf || underLastLeaf.position !== state.lastPositions[0] || !eventLeafHash(underLastLeaf).equals(state.lastLeafHash!)) {
        return this.report(`the event under leaf ${state.size - 1} (position ${state.lastPositions[0]}) was changed or removed after it was signed`);
      }
    }
    let fault: string | undefined;
    for (const event of read) {
      const handed = this.handed.get(event.position);
      if (handed) {
        leaves.push({ position: event.position, leaf: handed });
        continue;
      }
      const { authenticity, leaf } = inspect(event, this.key);
      if (authenticity !== 'authentic') {
        fault = `${authenticity} event at leaf ${state.size + leaves.length} (position ${event.position}, stream ${event.streamId} revision ${event.revision}): the tree stops before it`;
        break;
      }
      leaves.push({ position: event.position, leaf });
    }
    if (leaves.length > 0) this.forgetHanded(leaves[leaves.length - 1].position);
    const outcome = leaves.length > 0 || !state.head ? await this.sign(state, leaves) : 'idle';
    return fault ? this.report(fault) : (this.clear(), outcome);
  }

  private async sign(state: TreeState, leaves: Array<{ position: number; leaf: Buffer }>): Promise<StepOutcome> {
    const { nodes, root, frontier } = extend(
      state.size,
      state.frontier,
      leaves.map((l) => l.leaf),
    );
    const now = (this.options.now ?? (() => new Date()))();
    const head = signHead(
      { treeSize: state.size + leaves.length, rootHash: root.toString('hex'), timestamp: now.toISOString(), keyId: this.key.keyId },
      this.key.privateKey,
    );
    const written = await this.ledger.extend({ expectedSize: state.size, positions: leaves.map((l) => l.position), nodes, head });
    if (!written) return ((this.known = undefined), 'lost-race');
    const last = leaves.at(-1);
    const newest = leaves.slice(-2).map((l) => l.position);
    const lastPositions = [...newest.reverse(), ...state.lastPositions].slice(0, 2);
    this.known = last ? { size: head.treeSize, frontier, lastPositions, lastLeafHash: last.leaf, head } : { ...state, head };
    this.options.onSigned?.(head);
    return leaves.length === (this.options.maxLeavesPerHead ?? 1000) ? 'extended' : 'idle';
  }

  /**
   * The tree to extend: the one this keeper wrote last while the store's latest head is still its
   * own (no other keeper has extended it since), so a step does not read and fold the frontier's
   * tiles again; otherwise, and after any fault or lost race, as the store has it.
   */
  private async treeState(): Promise<TreeState> {
    const known = this.known;
    if (known?.head) {
      const latest = await this.ledger.latestHead();
      if (latest?.treeSize === known.size && latest.signature === known.head.signature) return known;
    }
    this.known = undefined;
    return this.ledger.state();
  }

  /** The handed leaves of the positions right after `position`, as far as they run unbroken (at most `max`). */
  private handedAfter(position: number, max: number): Array<{ position: number; leaf: Buffer }> {
    const run: Array<{ position: number; leaf: Buffer }> = [];
    for (let at = position + 1; run.length < max; at++) {
      const leaf = this.handed.get(at);
      if (!leaf) break;
      run.push({ position: at, leaf });
    }
    return run;
  }

  /**
   * Drops the handed leaves up to `position`, from the front: they arrive in about ascending order
   * (appends committed together may settle a little out of order), so the scan stops a little past it.
   */
  private forgetHanded(position: number): void {
    let beyond = 0;
    for (const at of this.handed.keys()) {
      if (at <= position) this.handed.delete(at);
      else if (++beyond > 64) break;
    }
  }

  private report(fault: string): StepOutcome {
    this.known = undefined;
    if (fault !== this.fault) this.options.log.error(`ledger: ${fault}`);
    this.fault = fault;
    return 'fault';
  }

  private clear(): void {
    if (this.fault) this.options.log.log('ledger: the log is authenticated again up to its end');
    this.fault = undefined;
  }
}
