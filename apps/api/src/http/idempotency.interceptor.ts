import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.decorators.js';
import { IDEMPOTENCY_STORE, type IdempotencyStore, type IdempotentAnswer } from '../auth/idempotency.js';
import type { LeaseContext } from '../infrastructure/projector-thread/leased-rebuild.js';
import { LEASE_CONTEXT } from '../infrastructure/store-tokens.js';
import { IDEMPOTENCY_KEY } from '../launches/shared/command-request.js';
import { requestFingerprint } from '../launches/shared/keyed-commands.js';
import { IdempotencyKeyReused } from './errors.js';
import { IdempotencyClaims } from './idempotency-claims.js';
import { ProblemException, type Problem } from './problem.js';
import { toProblem } from './to-problem.js';

/**
 * The refusals half of Idempotency-Key: a command refused (4xx) keeps its problem as the key's
 * first answer, first writer wins across processes, and a repeat gets it again (a reused key with
 * another request: 422). A command that was accepted needs no record here: its key's record is the
 * events it stored, and the command runner answers a repeat from them. 5xx answers are not kept,
 * so a retry runs again. Each try holds the key's claim (IdempotencyClaims) from before it looks
 * for a kept refusal until its own answer is kept, so no two tries are decided on different states.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly claims: IdempotencyClaims;

  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(LEASE_CONTEXT) leases: LeaseContext,
  ) {
    this.claims = new IdempotencyClaims(leases);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const key = request.headers['idempotency-key'];
    // A malformed key is the command's own 400 (commandContext): nothing to claim or keep under it.
    if (typeof key !== 'string' || !request.principal || !IDEMPOTENCY_KEY.test(key)) return next.handle();
    const requestHash = requestFingerprint(request.method, request.url, request.body);
    return from(this.answer(request.principal.id, key, requestHash, next));
  }

  private async answer(principalId: string, key: string, requestHash: string, next: CallHandler): Promise<unknown> {
    const claim = await this.claims.claim(principalId, key);
    try {
      const refused = await this.store.get(principalId, key);
      if (refused) return replayRefusal(refused, requestHash);
      return await this.decide(principalId, key, requestHash, next);
    } finally {
      await claim.release();
    }
  }

  private async decide(principalId: string, key: string, requestHash: string, next: CallHandler): Promise<unknown> {
    try {
      return await lastValueFrom(next.handle());
    } catch (error) {
      const { problem, headers } = toProblem(error);
      if (problem.status >= 500 || problem.status === 422) throw error;
      await this.store.put(principalId, key, { status: problem.status, body: problem, headers, requestHash });
      const first = await this.store.get(principalId, key);
      // Only if a claim ran out (a process stalled past its ttl) could another answer be kept first.
      if (first && JSON.stringify(first.body) !== JSON.stringify(problem)) return replayRefusal(first, requestHash);
      throw error;
    }
  }
}

function replayRefusal(answer: IdempotentAnswer, requestHash: string): never {
  if (answer.requestHash !== undefined && answer.requestHash !== requestHash) throw new IdempotencyKeyReused();
  throw new ProblemException(answer.body as Problem, { ...answer.headers, 'Idempotent-Replayed': 'true' });
}
