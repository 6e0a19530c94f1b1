import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import { problem, ProblemException } from '../../http/problem.js';
import type { CommandContext, CommandResult } from './command-context.js';

const IF_MATCH = /^(?:W\/)?"?(\d{1,15})"?$/;
const KEY = /^[\x21-\x7e]{1,128}$/;
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
  if (idempotencyKey !== undefined && !KEY.test(idempotencyKey)) {
    throw new ProblemException(problem(400, 'Idempotency-Key must be 1 to 128 visible ASCII characters', [{ field: 'Idempotency-Key', message: 'must be 1 to 128 visible ASCII characters' }]));
  }
  const correlation = header(request, 'x-correlation-id');
  const causationId = randomUUID();
  return {
    actor: principal,
    ...(ifMatch !== undefined && { ifMatch }),
    ...(idempotencyKey !== undefined && { idempotencyKey }),
    correlationId: correlation && CORRELATION.test(correlation) ? correlation : causationId,
    causationId,
  };
}

/** Every command answers its launch's revision as the ETag. */
export function withETag<T extends CommandResult>(reply: FastifyReply, result: T): T {
  reply.header('ETag', `"${result.revision}"`);
  return result;
}
