import { HttpException } from '@nestjs/common';
import { DomainError, type FieldError } from '#launch';
import { isSqliteFault, StoreUnavailableError } from '#event-store';
import { problem, ProblemException, type Problem } from './problem.js';
import { ConcurrencyConflict, IdempotencyKeyReused, PreconditionFailed, ServiceUnavailable, Unauthenticated } from './errors.js';

const DOMAIN_STATUS = { validation: 400, forbidden: 403, 'not-found': 404, conflict: 409 } as const;

export interface ProblemAnswer {
  problem: Problem;
  headers: Record<string, string>;
  /** True when the error is ours (a 5xx nobody expected) and must be logged. */
  unexpected: boolean;
}

/** The one place where every error becomes an HTTP answer. */
export function toProblem(error: unknown): ProblemAnswer {
  const answer = (p: Problem, headers: Record<string, string> = {}, unexpected = false): ProblemAnswer => ({ problem: p, headers, unexpected });
  if (error instanceof ProblemException) return answer(error.problem, error.headers);
  if (error instanceof DomainError) {
    const errors = 'errors' in error ? (error.errors as FieldError[]) : undefined;
    return answer(problem(DOMAIN_STATUS[error.kind], error.message, errors));
  }
  if (error instanceof Unauthenticated) return answer(problem(401, error.message), { 'WWW-Authenticate': 'Bearer' });
  if (error instanceof PreconditionFailed) return answer(problem(412, error.message));
  if (error instanceof IdempotencyKeyReused)
    return answer(problem(422, error.message, [{ field: 'Idempotency-Key', message: 'already used for a different request' }]));
  if (error instanceof ConcurrencyConflict) return answer(problem(409, error.message, undefined, 'concurrency-conflict'));
  if (error instanceof ServiceUnavailable) {
    return answer(problem(503, error.message), { 'Retry-After': String(error.retryAfterSeconds) });
  }
  if (error instanceof StoreUnavailableError) {
    return answer(problem(503, `a store is unavailable: ${error.message}`), { 'Retry-After': '1' });
  }
  // A SQLite error from a store beside the event log (principals, idempotent answers): the storage, not the request, failed.
  if (isSqliteFault(error)) {
    return answer(problem(503, 'a store cannot write right now (storage full, read-only or failing)'), { 'Retry-After': '1' });
  }
  if (error instanceof HttpException) return fromHttpException(error);
  const fastify = fastifyError(error);
  if (fastify) return answer(fastify);
  return answer(problem(500, 'an unexpected error occurred; it has been logged'), {}, true);
}

function fromHttpException(error: HttpException): ProblemAnswer {
  const status = error.getStatus();
  const body = error.getResponse();
  const errors = typeof body === 'object' && body !== null && 'errors' in body ? (body as { errors: FieldError[] }).errors : undefined;
  const detail =
    status === 404 &&
    error.constructor.name === 'NotFoundException' &&
    typeof body === 'object' &&
    /^Cannot /.test(String((body as { message?: unknown }).message))
      ? 'no such route'
      : error.message;
  return { problem: problem(status, detail, errors), headers: {}, unexpected: status >= 500 };
}

/** Errors Fastify raises before a route runs: body parsing, size, media type. */
function fastifyError(error: unknown): Problem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode, message } = error as { code?: string; statusCode?: number; message?: string };
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'the request body is larger than the limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'the request body must be JSON (Content-Type: application/json)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem(400, 'a path parameter is longer than any id');
    case 'FST_ERR_BAD_URL':
      return problem(400, 'the URL is not valid (bad percent-encoding)');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'the Content-Length does not match the body');
    default:
      break;
  }
  if (error instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON_BODY') return problem(400, 'the request body is not valid JSON');
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return problem(statusCode, message ?? 'bad request');
  return undefined;
}
