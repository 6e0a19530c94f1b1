import { Inject, Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { EventStore, RecordedEvent } from '#event-store';
import { ValidationFailed } from '#launch';
import { consistencyProof, inclusionProof, ProofRangeError, publicKeyDocument, type LedgerStore, type PublicKeyDocument, type SignedHead } from '#ledger';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import { ServiceUnavailable } from '../http/errors.js';
import { LEDGER_KEY, LEDGER_STORE } from './ledger-tokens.js';
import { ledgerExportLines, type LedgerKey } from '#platform';

/** What the ledger's HTTP routes answer: the key, the latest signed head, proofs, and the log under that head. */
@Injectable()
export class LedgerService {
  constructor(
    @Inject(LEDGER_KEY) private readonly key: LedgerKey | null,
    @Inject(LEDGER_STORE) private readonly ledger: LedgerStore | null,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  private enabled(): { key: LedgerKey; ledger: LedgerStore } {
    if (!this.key || !this.ledger) throw new ServiceUnavailable('the ledger is off on this server (LEDGER=off)', 60);
    return { key: this.key, ledger: this.ledger };
  }

  publicKey(): PublicKeyDocument {
    return publicKeyDocument(this.enabled().key.publicKey);
  }

  async head(): Promise<SignedHead> {
    const head = await this.enabled().ledger.latestHead();
    if (!head) throw new ServiceUnavailable('no tree head is signed yet');
    return head;
  }

  /** Checks that the sizes lie within the latest signed head. */
  private async withinHead(sizes: Record<string, number>): Promise<void> {
    const { treeSize } = await this.head();
    const beyond = Object.entries(sizes).filter(([, size]) => size > treeSize);
    if (beyond.length > 0) {
      throw new ValidationFailed(
        `the latest signed head covers ${treeSize} events`,
        beyond.map(([field]) => ({ field, message: `must not exceed the signed tree size ${treeSize}` })),
      );
    }
  }

  async consistency(from: number, to: number): Promise<{ from: number; to: number; proof: string[] }> {
    if (from > to) throw new ValidationFailed('from must not exceed to', [{ field: 'from', message: 'must not exceed to' }]);
    await this.withinHead({ to });
    const { ledger } = this.enabled();
    const proof = await consistencyProof(from, to, (ids) => ledger.nodes(ids));
    return { from, to, proof: proof.map((h) => h.toString('hex')) };
  }

  async inclusion(leafIndex: number, treeSize: number): Promise<{ leafIndex: number; treeSize: number; proof: string[] }> {
    if (leafIndex >= treeSize) throw new ValidationFailed('leafIndex must be below treeSize', [{ field: 'leafIndex', message: 'must be below treeSize' }]);
    await this.withinHead({ treeSize });
    const { ledger } = this.enabled();
    try {
      const proof = await inclusionProof(leafIndex, treeSize, (ids) => ledger.nodes(ids));
      return { leafIndex, treeSize, proof: proof.map((h) => h.toString('hex')) };
    } catch (error) {
      if (error instanceof ProofRangeError) throw new ValidationFailed(error.message, []);
      throw error;
    }
  }

  /** Leaf index of each of these events that the tree holds (none with LEDGER=off). */
  async leafIndexes(events: readonly RecordedEvent[]): Promise<Map<number, number>> {
    return this.ledger ? this.ledger.leafIndexes(events.map((e) => e.position)) : new Map();
  }

  /** The whole log under the latest signed head, one event per line, then the head: what tools/verify-ledger.mjs checks. */
  async export(): Promise<Readable> {
    const head = await this.head();
    return Readable.from(ledgerExportLines(this.events, head));
  }
}
