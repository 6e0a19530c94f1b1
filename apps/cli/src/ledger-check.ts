import type { EventStore } from '#event-store';
import { consistencyProof, extend, MissingNodeError, verifyConsistency, verifyHead, type LedgerStore, type SignedHead } from '#ledger';
import { inspect, type LedgerKey } from '#platform';

export interface CheckReport {
  problems: string[];
  /** What was proven, for the success line. */
  summary?: string;
}

const LEAF_BATCH = 1000;

/**
 * Proves that the log as stored now extends a receipt (a head signed earlier): both signatures, the
 * consistency proof between the two heads from the stored tree, and a recomputation of the tree
 * from the events themselves (roots at both sizes, each leaf against the signed tree, each event's
 * MAC and hash chain). Every problem found is named; none means the log was only appended to.
 */
export async function checkReceipt(receipt: SignedHead, events: EventStore, ledger: LedgerStore, key: LedgerKey): Promise<CheckReport> {
  const problems: string[] = [];
  if (!verifyHead(receipt, key.publicKey)) {
    problems.push(
      receipt.keyId === key.keyId
        ? "bad signature: the receipt was not signed by the server's key"
        : `bad signature: the receipt names key ${receipt.keyId.slice(0, 16)}…, the server's key is ${key.keyId.slice(0, 16)}…`,
    );
  }
  const head = await ledger.latestHead();
  if (!head) return { problems: [...problems, 'no signed head in the ledger (DATA_DIR/ledger.sqlite missing or emptied)'] };
  if (!verifyHead(head, key.publicKey)) problems.push(`bad signature on the ledger's current head (${head.treeSize} events)`);
  if (head.treeSize < receipt.treeSize) {
    problems.push(
      `size shrank: the current signed head covers ${head.treeSize} events, the receipt ${receipt.treeSize} (the log or the ledger was rolled back)`,
    );
  } else {
    try {
      const proof = await consistencyProof(receipt.treeSize, head.treeSize, (ids) => ledger.nodes(ids));
      if (!verifyConsistency(receipt.treeSize, head.treeSize, Buffer.from(receipt.rootHash, 'hex'), Buffer.from(head.rootHash, 'hex'), proof)) {
        problems.push(`root differs at the receipt's size ${receipt.treeSize}: the current head does not extend the receipt (consistency proof fails)`);
      }
    } catch (error) {
      if (!(error instanceof MissingNodeError)) throw error;
      problems.push(`the ledger's tree is incomplete: ${error.message}`);
    }
  }
  problems.push(...(await recompute(receipt, head, events, ledger, key)));
  return {
    problems,
    summary: `the log extends the receipt: ${receipt.treeSize} → ${head.treeSize} events under heads signed ${receipt.timestamp} and ${head.timestamp}`,
  };
}

/** Rebuilds the tree from the stored events and compares it with both heads and the stored leaves. */
async function recompute(receipt: SignedHead, head: SignedHead, events: EventStore, ledger: LedgerStore, key: LedgerKey): Promise<string[]> {
  const problems: string[] = [];
  const tips = new Map<string, { revision: number; hash: unknown }>();
  let size = 0;
  let frontier: Buffer[] = [];
  const roots = new Map<number, Buffer>();
  let pending: Buffer[] = [];
  let firstDifferentLeaf: number | undefined;

  const flush = async () => {
    const signedCount = Math.max(0, Math.min(pending.length, head.treeSize - size));
    const signed = signedCount > 0 ? await ledger.nodes(pending.slice(0, signedCount).map((_, i) => ({ level: 0, index: size + i }))).catch(() => []) : [];
    pending.forEach((leaf, i) => {
      if (firstDifferentLeaf === undefined && i < signedCount && signed[i] && !signed[i].equals(leaf)) firstDifferentLeaf = size + i;
    });
    // Extend in pieces cut at the two sizes whose roots are compared (`at`, `end`: indexes into pending).
    const start = size;
    let at = 0;
    for (const cut of [receipt.treeSize, head.treeSize, Infinity]) {
      const end = Math.min(pending.length, cut - start);
      if (end < at) continue;
      ({ frontier } = extend(size, frontier, pending.slice(at, end)));
      size += end - at;
      at = end;
      if (size === cut) roots.set(cut, extend(size, frontier, []).root);
    }
    pending = [];
  };

  if (receipt.treeSize === 0) roots.set(0, extend(0, [], []).root);
  for await (const event of events.readAll()) {
    const leafIndex = size + pending.length;
    const tip = tips.get(event.streamId);
    const linked = event.revision === (tip ? tip.revision + 1 : 0) && event.metadata.prevHash === (tip ? tip.hash : '0'.repeat(64));
    if (!linked)
      problems.push(`broken chain at leaf ${leafIndex}: stream ${event.streamId} revision ${event.revision} does not follow its stream's previous event`);
    tips.set(event.streamId, { revision: event.revision, hash: event.metadata.hash });
    const { authenticity, leaf } = inspect(event, key);
    if (authenticity !== 'authentic')
      problems.push(`${authenticity} event at leaf ${leafIndex}: stream ${event.streamId} revision ${event.revision} (${event.type})`);
    pending.push(leaf);
    if (pending.length >= LEAF_BATCH) await flush();
  }
  await flush();

  if (firstDifferentLeaf !== undefined)
    problems.push(`the event at leaf ${firstDifferentLeaf} differs from the one signed there (changed, removed or reordered)`);
  if (size < receipt.treeSize) problems.push(`the log holds ${size} events, fewer than the receipt's ${receipt.treeSize}: events were removed`);
  else if (!roots.get(receipt.treeSize)?.equals(Buffer.from(receipt.rootHash, 'hex'))) {
    problems.push(`root differs at the receipt's size ${receipt.treeSize}: the first ${receipt.treeSize} events are not those the receipt signed`);
  }
  if (size >= head.treeSize && !roots.get(head.treeSize)?.equals(Buffer.from(head.rootHash, 'hex'))) {
    problems.push(`root differs at the current head's size ${head.treeSize}: the stored events are not those signed`);
  } else if (size < head.treeSize && size >= receipt.treeSize) {
    problems.push(`the log holds ${size} events, fewer than the current head's ${head.treeSize}: events were removed`);
  }
  return problems;
}
