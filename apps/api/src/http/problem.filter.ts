import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './to-problem.js';

/** Answers every error as `application/problem+json`; never a stack trace. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { problem, headers, unexpected } = toProblem(error);
    if (unexpected) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (reply.sent) return;
    reply.status(problem.status).headers(headers).header('Content-Type', 'application/problem+json').send(JSON.stringify(problem));
  }
}

/** Fastify's own refusals before routing (a bad URL, an overlong path parameter), as problem documents too. */
export function answerFrameworkError(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
  const { problem, headers } = toProblem(error);
  void reply.status(problem.status).headers(headers).header('Content-Type', 'application/problem+json').send(JSON.stringify(problem));
}
