import { HASH_BYTES } from '#ledger';

/** Leaves handed to the keeper: the event at `positions[i]` has the leaf at bytes 32·i … 32·i + 32 of `leaves`. */
export interface HandedLeaves {
  positions: number[];
  leaves: Uint8Array<ArrayBuffer>;
}

/**
 * The Merkle leaves of the events this process appends, handed to its keeper while it keeps the
 * tree: the keeper takes them without reading, canonicalising, hashing and MAC-checking each event
 * again (the command path had the chain text at hand). Collected for `handOverMs` and passed on as
 * one batch (one message to the keeper's thread, its bytes transferred, not copied): a message per
 * turn of the event loop cost the request loop ≈ 3 µs per command under load (profiled), and the
 * keeper looks for new events only every 250 ms. An event the keeper reaches
 * before its leaf is handed over is read and checked in full, as any other. With no keeper here
 * (another process holds the lease) nothing is collected: that keeper reads and checks these
 * events in full.
 */
export class AppendedLeaves {
  private sink: ((batch: HandedLeaves) => void) | undefined;
  private pending: { positions: number[]; leaves: Uint8Array[] } | undefined;

  constructor(private readonly handOverMs = 25) {}

  /** Whether leaves are wanted: a keeper in this process takes them. */
  get collecting(): boolean {
    return this.sink !== undefined;
  }

  attach(sink: (batch: HandedLeaves) => void): void {
    this.sink = sink;
  }

  detach(sink: (batch: HandedLeaves) => void): void {
    if (this.sink !== sink) return;
    this.sink = undefined;
    this.pending = undefined;
  }

  /** The leaves of one append whose events got consecutive positions from `firstPosition`. */
  appended(firstPosition: number, leaves: readonly Uint8Array[]): void {
    if (!this.sink || leaves.length === 0) return;
    if (!this.pending) {
      this.pending = { positions: [], leaves: [] };
      setTimeout(() => this.flush(), this.handOverMs).unref();
    }
    for (let i = 0; i < leaves.length; i++) {
      this.pending.positions.push(firstPosition + i);
      this.pending.leaves.push(leaves[i]);
    }
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending || !this.sink) return;
    const packed = new Uint8Array(pending.leaves.length * HASH_BYTES);
    pending.leaves.forEach((leaf, i) => packed.set(leaf, i * HASH_BYTES));
    this.sink({ positions: pending.positions, leaves: packed });
  }
}
