import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem, ProblemException } from './problem.js';

const JSON_SUFFIX = /^application\/[\w.+-]+\+json$/;

/**
 * Only JSON bodies are accepted (anything else is 415), parsed with prototype-poisoning
 * protection; an empty body counts as `{}`, and a body must be a JSON object.
 */
export function configureBodyParsing(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  const parse = (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
    if (String(body).trim() === '') return done(null, {});
    parseJson(request, String(body), done);
  };
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, parse);
  fastify.addContentTypeParser(JSON_SUFFIX, { parseAs: 'string' }, parse);
  fastify.addHook('preValidation', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    const pollutingParameter = query && typeof query === 'object' ? Object.keys(query).find(isPrototypeKey) : undefined;
    if (pollutingParameter !== undefined) throw new ProblemException(problem(400, `"${pollutingParameter}" is not accepted as a query parameter`));
    if (request.method !== 'POST' && request.method !== 'PATCH' && request.method !== 'PUT') return;
    if (request.body === undefined || request.body === null) {
      request.body = {};
      return;
    }
    if (typeof request.body !== 'object' || Array.isArray(request.body)) {
      throw new ProblemException(problem(400, 'the request body must be a JSON object'));
    }
    const unsafe = unsafeShape(request.body, 1);
    if (unsafe) throw new ProblemException(problem(400, `the request body is refused: ${unsafe}`));
  });
}

/** Deeper than any command needs: deeper bodies are refused before validation walks them (it recurses). */
export const MAX_BODY_DEPTH = 16;
/**
 * Names of Object.prototype members (`__proto__`, `constructor`, `toString`, `hasOwnProperty`…) and
 * `prototype`: validation's whitelist mistakes them for known fields, and they are pollution vectors.
 */
const isPrototypeKey = (key: string): boolean => key === 'prototype' || key in Object.prototype;

/** Why a parsed body must not reach validation (too deep, or a prototype key at any depth), if it must not. */
function unsafeShape(value: unknown, depth: number): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_BODY_DEPTH) return `it is nested deeper than ${MAX_BODY_DEPTH} levels`;
  for (const [key, child] of Object.entries(value)) {
    if (!Array.isArray(value) && isPrototypeKey(key)) return `"${key}" is not accepted as a field name`;
    const reason = unsafeShape(child, depth + 1);
    if (reason) return reason;
  }
  return undefined;
}
