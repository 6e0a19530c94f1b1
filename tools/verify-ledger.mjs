#!/usr/bin/env node
// The independent ledger verifier: checks a Launch Control log export against the server's public
// key and a receipt (a tree head signed earlier), trusting nothing the server says beyond its key.
// Plain Node (>= 20), no dependencies: read it, then run it.
//
//   node tools/verify-ledger.mjs --log log.ndjson --key key.json --receipt head.json [--consistency proof.json]
//
// log.ndjson  GET /v1/ledger/export or `npm run audit -- export`: one event per line in leaf order, then { "signedHead": … }
// key.json    GET /v1/ledger/key ({ keyId, algorithm: "Ed25519", publicKey: base64 SPKI DER }), or a PEM public key
// head.json   a receipt: GET /v1/ledger/head or `npm run audit -- receipt`, saved at some earlier time
// proof.json  optional: GET /v1/ledger/proofs/consistency?from=<receipt size>&to=<head size>, checked too
//
// It checks: both heads' Ed25519 signatures and key id; that the export's head does not shrink the
// receipt; every stream's hash chain (each event's SHA-256 hash and its link to the one before);
// the RFC 9162 Merkle roots of the exported events at the receipt's size and at the head's size (so
// the log up to the receipt is exactly what was signed then, and every exported event is under the
// server's signature: the server signs only over events its key authenticated at append); and a
// consistency proof between the two sizes. Exit 0: all hold; 1: something broke (each named); 2: usage.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const USAGE = 'usage: node tools/verify-ledger.mjs --log <export.ndjson> --key <key.json|key.pem> --receipt <head.json> [--consistency <proof.json>]';

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '');
    if (!['log', 'key', 'receipt', 'consistency'].includes(name) || argv[i + 1] === undefined) return undefined;
    options[name] = argv[i + 1];
  }
  return options.log && options.key && options.receipt ? options : undefined;
}

/** JSON documents of a file, skipping lines that are not JSON objects (what npm prints before the output). */
function jsonLines(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

function jsonDocument(file) {
  const text = readFileSync(file, 'utf8');
  const start = text.search(/^[{[]/m);
  return JSON.parse(start >= 0 ? text.slice(start) : text);
}

// ---- canonical JSON, the per-stream hash chain and the leaf entry (as libs/event-store and libs/ledger) ----
function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const members = [];
  for (const key of Object.keys(value).sort()) if (value[key] !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(value[key])}`);
  return `{${members.join(',')}}`;
}

const sha256 = (...parts) => parts.reduce((h, part) => h.update(part), createHash('sha256')).digest();

/** What an event's chain hash covers: previous hash, stream, revision, type, canonical data and metadata less hash and mac. */
function chainText(event) {
  const { hash: _hash, mac: _mac, ...metadata } = event.metadata;
  return `${String(metadata.prevHash ?? '')}\n${event.streamId}\n${event.revision}\n${event.type}\n${canonicalJson(event.data)}\n${canonicalJson(metadata)}`;
}

const text = (value) => (typeof value === 'string' ? value : '');

/** The leaf entry: the event's canonical bytes, hash-chain fields and the server's MAC included. */
const ledgerEntry = (event, chain) =>
  Buffer.from(`launch-control/ledger/entry/v1\n${event.eventId}\n${text(event.metadata.hash)}\n${text(event.metadata.mac)}\n${chain}`, 'utf8');

// ---- RFC 9162 Merkle tree ----
const leafHash = (entry) => sha256(Buffer.of(0), entry);
const nodeHash = (left, right) => sha256(Buffer.of(1), left, right);
const splitPoint = (n) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** MTH(D[start:end]) by the RFC's definition, over an array of leaf hashes. */
function treeHash(leaves, start, end) {
  if (end - start === 0) return sha256(Buffer.alloc(0));
  if (end - start === 1) return leaves[start];
  const k = splitPoint(end - start);
  return nodeHash(treeHash(leaves, start, start + k), treeHash(leaves, start + k, end));
}

/** SUBPROOF(m, D[start:end], b) (RFC 9162 §2.1.4.1). */
function subproof(leaves, m, start, end, b) {
  const n = end - start;
  if (m === n) return b ? [] : [treeHash(leaves, start, end)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(leaves, m, start, start + k, b), treeHash(leaves, start + k, end)]
    : [...subproof(leaves, m - k, start + k, end, false), treeHash(leaves, start, start + k)];
}

const isOdd = (n) => n % 2 === 1;
const half = (n) => Math.floor(n / 2);

/** RFC 9162 §2.1.4.2. */
function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first === 0) return proof.length === 0;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first > second || proof.length === 0) return false;
  const path = Number.isInteger(Math.log2(first)) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

// ---- keys and signed heads ----
function loadKey(file) {
  const text = readFileSync(file, 'utf8');
  if (text.includes('-----BEGIN')) return { key: createPublicKey(text) };
  const document = jsonDocument(file);
  if (document.algorithm !== 'Ed25519') throw new Error(`${file}: algorithm must be Ed25519`);
  return { key: createPublicKey({ key: Buffer.from(document.publicKey, 'base64'), format: 'der', type: 'spki' }), claimedKeyId: document.keyId };
}

const headMessage = (head) => Buffer.from(`launch-control/ledger/head/v1\n${head.treeSize}\n${head.rootHash}\n${head.timestamp}\n${head.keyId}`, 'utf8');

function headProblem(head, name, key, keyId) {
  if (!head || !Number.isSafeInteger(head.treeSize) || head.treeSize < 0 || !/^[0-9a-f]{64}$/.test(head.rootHash ?? '') || typeof head.signature !== 'string') {
    return `${name} is not a signed head`;
  }
  if (head.keyId !== keyId) return `bad signature: ${name} names key ${String(head.keyId).slice(0, 16)}…, the given key is ${keyId.slice(0, 16)}…`;
  let valid;
  try {
    valid = verify(null, headMessage(head), key, Buffer.from(head.signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? undefined : `bad signature on ${name} (${head.treeSize} events, ${head.timestamp})`;
}

// ---- the checks ----
function check(options) {
  const problems = [];
  const { key, claimedKeyId } = loadKey(options.key);
  const keyId = createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
  if (claimedKeyId !== undefined && claimedKeyId !== keyId) problems.push(`the key document's keyId ${claimedKeyId} is not its key's fingerprint ${keyId}`);
  const receipt = jsonDocument(options.receipt);
  const lines = jsonLines(options.log);
  const head = lines.find((line) => line.signedHead)?.signedHead;
  const events = lines.filter((line) => !line.signedHead);
  for (const problem of [headProblem(receipt, 'the receipt', key, keyId), headProblem(head, "the export's head", key, keyId)])
    if (problem) problems.push(problem);
  if (problems.some((p) => p.includes('not a signed head'))) return problems;

  const leaves = [];
  const tips = new Map();
  events.forEach((line, i) => {
    const { leafIndex, streamId, revision, eventId, type, data, hash, prevHash } = line;
    if (leafIndex !== i) problems.push(`the export's line ${i + 1} holds leaf ${leafIndex}, not ${i}: events missing or reordered`);
    const metadata = { ...line.metadata, prevHash, hash };
    const event = { streamId, revision, eventId, type, data, metadata };
    const tip = tips.get(streamId);
    if (revision !== (tip ? tip.revision + 1 : 0) || prevHash !== (tip ? tip.hash : '0'.repeat(64))) {
      problems.push(`broken chain at leaf ${i}: stream ${streamId} revision ${revision} does not follow its stream's previous event`);
    }
    const chain = chainText(event);
    if (sha256(Buffer.from(chain, 'utf8')).toString('hex') !== hash)
      problems.push(`altered event at leaf ${i}: stream ${streamId} revision ${revision} does not hash to its own hash`);
    tips.set(streamId, { revision, hash });
    leaves.push(leafHash(ledgerEntry(event, chain)));
  });

  if (head.treeSize < receipt.treeSize)
    problems.push(`size shrank: the export's head covers ${head.treeSize} events, the receipt ${receipt.treeSize} (a rollback)`);
  if (leaves.length < head.treeSize) problems.push(`the export holds ${leaves.length} events, fewer than its head's ${head.treeSize}`);
  if (leaves.length > head.treeSize) problems.push(`unauthenticated events: leaves ${head.treeSize}..${leaves.length - 1} are not covered by the signed head`);
  const rootAt = (size) => treeHash(leaves, 0, size);
  if (leaves.length >= receipt.treeSize && !rootAt(receipt.treeSize).equals(Buffer.from(receipt.rootHash, 'hex'))) {
    problems.push(`root differs at the receipt's size ${receipt.treeSize}: the first ${receipt.treeSize} events are not those the receipt signed`);
  }
  if (leaves.length >= head.treeSize && !rootAt(head.treeSize).equals(Buffer.from(head.rootHash, 'hex'))) {
    problems.push(`root differs at the head's size ${head.treeSize}: the exported events are not those signed`);
  }
  if (head.treeSize >= receipt.treeSize && leaves.length >= head.treeSize) {
    const from = receipt.treeSize;
    const to = head.treeSize;
    const proofs = [['computed from the export', from > 0 && from < to ? subproof(leaves, from, 0, to, true) : []]];
    if (options.consistency) proofs.push(['given', (jsonDocument(options.consistency).proof ?? []).map((h) => Buffer.from(h, 'hex'))]);
    for (const [origin, proof] of proofs) {
      if (!verifyConsistency(from, to, Buffer.from(receipt.rootHash, 'hex'), Buffer.from(head.rootHash, 'hex'), proof)) {
        problems.push(`the consistency proof (${origin}) from ${from} to ${to} events does not verify: the head does not extend the receipt`);
      }
    }
  }
  return { problems, receipt, head, events: leaves.length, keyId };
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!options) {
    console.error(USAGE);
    return 2;
  }
  let result;
  try {
    result = check(options);
  } catch (error) {
    console.error(`cannot read the inputs: ${error.message}`);
    return 2;
  }
  const problems = Array.isArray(result) ? result : result.problems;
  if (problems.length > 0) {
    for (const problem of problems.slice(0, 50)) console.log(`FAILED: ${problem}`);
    if (problems.length > 50) console.log(`FAILED: … and ${problems.length - 50} more`);
    return 1;
  }
  const { receipt, head, events, keyId } = result;
  console.log(`OK: ${events} events, every stream's chain intact; signed by key ${keyId.slice(0, 16)}…`);
  console.log(
    `OK: the head of ${head.treeSize} events (${head.timestamp}) extends the receipt of ${receipt.treeSize} (${receipt.timestamp}): roots and consistency proof verified`,
  );
  return 0;
}

process.exitCode = main();
