import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import { problem, ProblemException } from '../../http/problem.js';
import type { CommandContext } from './command-context.js';
import type { CommandOutcome } from './command-plan.js';
import { requestFingerprint } from './keyed-commands.js';

const IF_MATCH = /^(?:W\/)?"?(\d{1,15})"?$/;
/** A well-formed Idempotency-Key: 1 to 128 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
const CORRELATION = /^[\w.:-]{1,128}$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Reads who sends a command and how (If-Match, Idempotency-Key, correlation) from the request. */
export function commandContext(request: FastifyRequest, principal: Principal): CommandContext {
  const ifMatchHeader = header(request, 'if-match')?.trim();
  let ifMatch: number | undefined;
  if (ifMatchHeader !== undefined && ifMatchHeader !== '*') {
    const match = IF_MATCH.exec(ifMatchHeader);
    if (!match) throw new ProblemException(problem(400, 'If-Match must be a revision such as "3"', [{ field: 'If-Match', message: 'must be "<revision>"' }]));
    ifMatch = Number(match[1]);
  }
  const idempotencyKey = header(request, 'idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new ProblemException(
      problem(400, 'Idempotency-Key must be 1 to 128 visible ASCII characters', [
        { field: 'Idempotency-Key', message: 'must be 1 to 128 visible ASCII characters' },
      ]),
    );
  }
  const correlation = header(request, 'x-correlation-id');
  const causationId = randomUUID();
  return {
    actor: principal,
    ...(ifMatch !== undefined && { ifMatch }),
    ...(idempotencyKey !== undefined && { idempotencyKey, requestHash: requestFingerprint(request.method, request.url, request.body) }),
    correlationId: correlation && CORRELATION.test(correlation) ? correlation : causationId,
    causationId,
  };
}

/**
 * The answer every launch command gives: its launch, revision and position, the types of the events
 * it recorded and its own fields; `ETag` is the revision. Built from the outcome alone, so a repeated
 * Idempotency-Key (answered from the stored events) gets the same body as the first try.
 */
export function answerCommand(reply: FastifyReply, outcome: CommandOutcome, extra: Record<string, unknown> = {}) {
  reply.header('ETag', `"${outcome.revision}"`);
  if (outcome.replayed) reply.header('Idempotent-Replayed', 'true');
  return {
    launchId: outcome.launchId,
    revision: outcome.revision,
    position: outcome.position,
    ...extra,
    events: outcome.events.map((e) => e.type),
  };
}
