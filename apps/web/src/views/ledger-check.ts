import { get } from '../api.js';
import { h } from '../dom.js';
import { formatInstant } from '../format.js';
import type { HistoryEvent } from '../types.js';

/** The ledger's signed tree head and public key, as GET /v1/ledger/head and /key give them. */
interface SignedHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  signature: string;
}

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer): string => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string): Uint8Array => new Uint8Array(text.match(/../g)!.map((pair) => parseInt(pair, 16)));
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};
const sha256 = async (...parts: Uint8Array[]): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts) as BufferSource));
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);

/** Canonical JSON as the server's hash chain writes it (keys sorted, undefined left out). */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
    .join(',')}}`;
}

/** The event's leaf hash (README: Ledger): H(0x00 ‖ entry), the entry being its canonical bytes. */
function leafHash(event: HistoryEvent, streamId: string): Promise<Uint8Array> {
  const { mac, ...metadata } = event.metadata as Record<string, unknown>;
  const chain = `${event.prevHash}\n${streamId}\n${event.revision}\n${event.type}\n${canonicalJson(event.data)}\n${canonicalJson({ ...metadata, prevHash: event.prevHash })}`;
  return sha256(
    Uint8Array.of(0),
    encoder.encode(`launch-control/ledger/entry/v1\n${event.eventId}\n${event.hash}\n${typeof mac === 'string' ? mac : ''}\n${chain}`),
  );
}

/** RFC 9162 §2.1.3.2. */
async function verifyInclusion(leafIndex: number, treeSize: number, leaf: Uint8Array, proof: string[], root: string): Promise<boolean> {
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof.map(fromHex)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
    } else {
      r = await nodeHash(r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && hex(r.buffer as ArrayBuffer) === root;
}

/** The head's Ed25519 signature, where the browser's Web Crypto has Ed25519; undefined where it cannot tell. */
async function signatureHolds(head: SignedHead): Promise<boolean | undefined> {
  try {
    const { publicKey } = await get<{ publicKey: string }>('/v1/ledger/key');
    const der = Uint8Array.from(atob(publicKey), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
    const message = encoder.encode(`launch-control/ledger/head/v1\n${head.treeSize}\n${head.rootHash}\n${head.timestamp}\n${head.keyId}`);
    const signature = Uint8Array.from(atob(head.signature), (c) => c.charCodeAt(0));
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  } catch {
    return undefined;
  }
}

/**
 * "Verified against signed head #N (time)": the launch's latest event covered by the ledger's
 * latest signed head is proven in the tree that head signs (inclusion proof, checked here with Web
 * Crypto), and the head's signature with the server's key. For auditors and admins (the ledger's
 * routes are theirs); null for everyone else.
 */
export async function ledgerLine(launchId: string, events: HistoryEvent[], role: string): Promise<HTMLElement | null> {
  if (role !== 'auditor' && role !== 'admin') return null;
  const line = (ok: boolean, text: string) =>
    h('p', { class: `verify ${ok ? 'verify-ok' : 'verify-broken'}`, id: 'ledger-verify', ...(ok ? {} : { role: 'alert' }) }, text);
  if (!globalThis.crypto?.subtle)
    return h('p', { class: 'muted', id: 'ledger-verify' }, 'Ledger: this page cannot check proofs here (Web Crypto needs https or localhost).');
  const head = await get<SignedHead>('/v1/ledger/head');
  const covered = events.filter((e) => typeof e.leafIndex === 'number' && e.leafIndex < head.treeSize);
  const pending = events.length - covered.length;
  const later = pending > 0 ? ` ${pending} newer event${pending === 1 ? ' is' : 's are'} not under a signed head yet.` : '';
  const last = covered.at(-1);
  if (!last) return h('p', { class: 'muted', id: 'ledger-verify' }, `Ledger: no event of this launch is under signed head #${head.treeSize} yet.`);
  const { proof } = await get<{ proof: string[] }>(`/v1/ledger/proofs/inclusion?leafIndex=${last.leafIndex}&treeSize=${head.treeSize}`);
  const included = await verifyInclusion(last.leafIndex!, head.treeSize, await leafHash(last, `launch-${launchId}`), proof, head.rootHash);
  if (!included)
    return line(false, `Ledger: revision ${last.revision} is NOT in the tree signed head #${head.treeSize} covers: the history differs from what was signed.`);
  const signed = await signatureHolds(head);
  if (signed === false) return line(false, `Ledger: signed head #${head.treeSize} does not carry a valid signature by the server's key.`);
  const when = formatInstant(head.timestamp);
  return line(
    true,
    `Verified against signed head #${head.treeSize} (${when})${signed === undefined ? ', signature not checked by this browser' : ''}.${later}`,
  );
}
