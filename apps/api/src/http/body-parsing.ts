import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem, ProblemException } from './problem.js';

const JSON_SUFFIX = /^application\/[\w.+-]+\+json$/;

/**
 * Only JSON bodies are accepted (anything else is 415), as strict UTF-8 (invalid bytes are refused,
 * never stored as U+FFFD). An empty body counts as `{}`; a body must be a JSON object, and a key
 * named after an Object.prototype member is refused by name (JSON.parse makes `__proto__` a plain
 * own key, so the walk below sees it without anything being polluted).
 */
export function configureBodyParsing(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  const parse = (_request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
    let text: string;
    try {
      text = strictUtf8.decode(typeof body === 'string' ? Buffer.from(body) : body);
    } catch {
      return done(new ProblemException(problem(400, 'the request body is not valid UTF-8')));
    }
    if (text.trim() === '') return done(null, {});
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return done(error as Error);
    }
    done(null, value);
  };
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, parse);
  fastify.addContentTypeParser(JSON_SUFFIX, { parseAs: 'buffer' }, parse);
  fastify.addHook('preValidation', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    const pollutingParameter = query && typeof query === 'object' ? Object.keys(query).find(isPrototypeKey) : undefined;
    if (pollutingParameter !== undefined) throw new ProblemException(problem(400, `"${pollutingParameter}" is not accepted as a query parameter`));
    if (request.body === undefined) {
      if (request.method === 'POST' || request.method === 'PATCH' || request.method === 'PUT') request.body = {};
      return;
    }
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
      throw new ProblemException(problem(400, `the request body must be a JSON object, not ${describeJson(request.body)}`));
    }
    const unsafe = unsafeShape(request.body, 1);
    if (unsafe)
      throw new ProblemException(
        problem(
          400,
          `the request body is refused: ${unsafe.reason}`,
          unsafe.field ? [{ field: unsafe.field, message: 'is not accepted as a field name' }] : undefined,
        ),
      );
  });
}

/** Throws on bytes that are not UTF-8; a leading byte-order mark is dropped. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const describeJson = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

/** Deeper than any command needs: deeper bodies are refused before validation walks them (it recurses). */
export const MAX_BODY_DEPTH = 16;
/**
 * Names of Object.prototype members (`__proto__`, `constructor`, `toString`, `hasOwnProperty`…) and
 * `prototype`: validation's whitelist mistakes them for known fields, and they are pollution vectors.
 */
const isPrototypeKey = (key: string): boolean => key === 'prototype' || key in Object.prototype;

/** Why a parsed body must not reach validation (too deep, or a prototype key at any depth), if it must not. */
function unsafeShape(value: unknown, depth: number, path = ''): { reason: string; field?: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_BODY_DEPTH) return { reason: `it is nested deeper than ${MAX_BODY_DEPTH} levels` };
  for (const [key, child] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (!Array.isArray(value) && isPrototypeKey(key)) return { reason: `"${key}" is not accepted as a field name`, field };
    const reason = unsafeShape(child, depth + 1, field);
    if (reason) return reason;
  }
  return undefined;
}
