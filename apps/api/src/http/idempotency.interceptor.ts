import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.decorators.js';
import { IDEMPOTENCY_STORE, type IdempotencyStore, type IdempotentAnswer } from '../auth/idempotency.js';
import { ProblemException, type Problem } from './problem.js';
import { toProblem } from './to-problem.js';

const REPLAYED_HEADERS = ['etag', 'location'];

/**
 * A command repeated with the same `Idempotency-Key` by the same principal gets the first answer
 * (status and body) and runs nothing. Server errors (5xx) are not kept, so the retry runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !request.principal) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.answerOnce(request.principal.id, key, reply, next));
  }

  private async answerOnce(principalId: string, key: string, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    const slot = `${principalId}\n${key}`;
    while (this.inFlight.has(slot)) await this.inFlight.get(slot)?.catch(() => undefined);
    const first = await this.store.get(principalId, key);
    if (first) return replay(first, reply);
    const running = this.run(principalId, key, reply, next);
    this.inFlight.set(slot, running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(slot);
    }
  }

  private async run(principalId: string, key: string, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    try {
      const body = await lastValueFrom(next.handle());
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      await this.store.put(principalId, key, { status: reply.statusCode, body, headers });
      return body;
    } catch (error) {
      const { problem, headers } = toProblem(error);
      if (problem.status < 500) await this.store.put(principalId, key, { status: problem.status, body: problem, headers });
      throw error;
    }
  }
}

function replay(answer: IdempotentAnswer, reply: FastifyReply): unknown {
  if (answer.status >= 400) throw new ProblemException(answer.body as Problem, answer.headers);
  reply.headers({ ...answer.headers, 'Idempotent-Replayed': 'true' });
  return answer.body;
}
