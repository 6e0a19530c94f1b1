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
    if (request.method !== 'POST' && request.method !== 'PATCH' && request.method !== 'PUT') return;
    if (request.body === undefined || request.body === null) {
      request.body = {};
      return;
    }
    if (typeof request.body !== 'object' || Array.isArray(request.body)) {
      throw new ProblemException(problem(400, 'the request body must be a JSON object'));
    }
  });
}
