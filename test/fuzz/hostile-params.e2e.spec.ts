import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { expectNoPollution, expectProblem, hostileString } from './hostile.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Numbers in the query: digits; an empty value counts as 0 (lenient, and harmless). */
const DIGITS = /^\s*\d*\s*$/;

/** A path segment that is not an id: random, Unicode, traversal, encoded, huge. Encoded so it stays one segment. */
const hostileSegment = fc
  .oneof(hostileString, fc.constantFrom('..', '.', '%2e%2e', '%2F', '0', '-1', '1e3', 'x'.repeat(200), 'x'.repeat(5000)))
  .filter((s) => s.length > 0 && !UUID.test(s))
  .map((s) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'));
    }
  });

/** Query parameters, each with the values it accepts, so the fuzz sends only ones it must refuse. */
const QUERY: Record<string, (value: string) => boolean> = {
  minPosition: (v) => DIGITS.test(v),
  atRevision: (v) => DIGITS.test(v),
  fromRevision: (v) => DIGITS.test(v),
  limit: (v) => DIGITS.test(v),
  asOf: (v) => !Number.isNaN(Date.parse(v)),
  status: (v) => ['planning', 'go', 'no-go', 'launched', 'cancelled', 'open', 'blocked', 'completed', 'waived', 'stale'].includes(v),
  tier: (v) => ['1', '2', '3'].includes(v.trim()),
  format: (v) => ['json', 'ndjson', 'csv'].includes(v),
};

/**
 * Every path and query parameter, fuzzed: hostile ids and department keys in the path, hostile values,
 * repeated (array) values and unknown or prototype names in the query, and hostile Idempotency-Key and
 * If-Match headers. Each is a 4xx problem document; nothing is appended and the server stays ready.
 */
describe('fuzz: hostile path and query parameters and headers', () => {
  let t: TestApp;
  let manager: string;
  let launchId: string;
  let taskId: string;
  const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT: '0' });
    manager = await t.principal('launch-manager');
    launchId = (await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Fuzz', product: 'F', targetDate: '2030-06-01', tier: 3 }).expect(201)).body
      .launchId;
    taskId = (await t.http.post(`/v1/launches/${launchId}/tasks`).set(bearer(manager)).send({ title: 'T', department: 'legal' }).expect(201)).body.taskId;
  });
  afterAll(() => t.close());

  type Method = 'get' | 'post' | 'patch' | 'delete';
  /** Paths with a placeholder `{}` for the fuzzed segment; the other ids are real. */
  const PATHS: Array<[Method, (segment: string) => string, object?]> = [
    ['get', (s) => `/v1/launches/${s}`],
    ['get', (s) => `/v1/launches/${s}/readiness`],
    ['get', (s) => `/v1/launches/${s}/history`],
    ['get', (s) => `/v1/launches/${s}/verify`],
    ['get', (s) => `/v1/launches/${s}/decision-record`],
    ['get', (s) => `/v1/launches/${launchId}/tasks/${s}`],
    ['get', (s) => `/v1/departments/${s}/tasks`],
    ['get', (s) => `/v1/principals/${s}`],
    ['delete', (s) => `/v1/principals/${s}`],
    ['post', (s) => `/v1/launches/${s}/tasks`, { title: 'T', department: 'legal' }],
    ['post', (s) => `/v1/launches/${launchId}/tasks/${s}/complete`, {}],
    ['post', (s) => `/v1/launches/${launchId}/tasks/${s}/block`, { reason: 'r' }],
    ['post', (s) => `/v1/launches/${launchId}/tasks/${s}/waive`, { reason: 'r' }],
    ['patch', (s) => `/v1/launches/${launchId}/tasks/${s}`, { title: 'X' }],
    ['post', (s) => `/v1/launches/${launchId}/tasks/${s}/comments`, { text: 'X' }],
    ['get', (s) => `/v1/launches/${launchId}/tasks/${s}/comments`],
    ['get', (s) => `/v1/launches/${launchId}/tasks/${taskId}/comments/${s}`],
    ['patch', (s) => `/v1/launches/${s}`, { name: 'X' }],
    ['post', (s) => `/v1/launches/${s}/reschedule`, { targetDate: '2030-07-01', reason: 'r' }],
    ['post', (s) => `/v1/launches/${s}/decision`, { decision: 'no-go' }],
    ['post', (s) => `/v1/launches/${s}/cancel`, { reason: 'r' }],
    ['post', (s) => `/v1/launches/${s}/votes`, { vote: 'go', department: 'legal' }],
  ];

  const send = (method: Method, path: string, body?: object) => {
    const call = t.http[method](path).set(bearer(manager));
    return body ? call.send(body) : call;
  };
  const settled = async () => {
    expectNoPollution();
    await t.http.get('/health/ready').expect(200);
  };

  it.each(PATHS.map(([method, path, body]) => [`${method.toUpperCase()} ${path('{…}').replace(/undefined/g, '{launchId}')}`, method, path, body] as const))(
    '%s: a hostile path segment is a 4xx problem',
    async (name, method, path, body) => {
      const before = await t.headPosition();
      await fc.assert(
        fc.asyncProperty(hostileSegment, async (segment) => {
          expectProblem(await send(method, path(segment), body), `${name} with ${segment.slice(0, 80)}`);
        }),
        { numRuns: RUNS },
      );
      expect(await t.headPosition()).toBe(before);
      await settled();
    },
  );

  const READS: Array<[string, () => string, string[]]> = [
    ['GET /v1/launches', () => '/v1/launches', ['status', 'tier', 'minPosition']],
    ['GET /v1/launches/{id}', () => `/v1/launches/${launchId}`, ['minPosition', 'asOf', 'atRevision']],
    ['GET /v1/launches/{id}/readiness', () => `/v1/launches/${launchId}/readiness`, ['minPosition', 'asOf', 'atRevision']],
    ['GET /v1/launches/{id}/tasks/{taskId}', () => `/v1/launches/${launchId}/tasks/${taskId}`, ['minPosition', 'asOf', 'atRevision']],
    ['GET /v1/launches/{id}/history', () => `/v1/launches/${launchId}/history`, ['fromRevision', 'limit', 'format', 'minPosition']],
    ['GET /v1/launches/{id}/decision-record', () => `/v1/launches/${launchId}/decision-record`, ['minPosition']],
    ['GET /v1/departments/{d}/tasks', () => '/v1/departments/legal/tasks', ['status', 'minPosition']],
    ['GET …/tasks/{taskId}/comments', () => `/v1/launches/${launchId}/tasks/${taskId}/comments`, ['minPosition']],
  ];

  it.each(READS)('%s: hostile, repeated or unknown query parameters are a 4xx problem', async (name, path, params) => {
    const hostileQuery = fc.oneof(
      fc
        .tuple(fc.constantFrom(...params), hostileString)
        .filter(([param, value]) => !QUERY[param](value))
        .map(([param, value]) => `${param}=${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '?'))}`),
      fc.constantFrom(...params).map((param) => `${param}=1&${param}=2`),
      fc
        .oneof(
          fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '__proto__[polluted]', 'constructor[prototype][polluted]'),
          fc.string({ minLength: 1, maxLength: 20 }),
        )
        .filter((key) => !params.includes(key) && !['asOf', 'atRevision'].includes(key))
        .map((key) => `${encodeURIComponent(key).replace(/%5B/g, '[').replace(/%5D/g, ']')}=1`),
    );
    await fc.assert(
      fc.asyncProperty(hostileQuery, async (query) => {
        expectProblem(await t.http.get(`${path()}?${query}`).set(bearer(manager)), `${name}?${query.slice(0, 80)}`);
      }),
      { numRuns: RUNS },
    );
    await settled();
  });

  /** Header values Node can send: tabs, printable ASCII and Latin-1, of any length. */
  const headerValue = fc.string({
    unit: fc.oneof(
      fc.constantFrom('\t', ' '),
      fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0xa0, max: 0xff }).map((c) => String.fromCharCode(c)),
    ),
    maxLength: 300,
  });

  it('hostile Idempotency-Key and If-Match headers on a command are a 4xx problem and append nothing', async () => {
    const before = await t.headPosition();
    const header = fc.oneof(
      // HTTP drops surrounding blanks, so a key is judged as trimmed
      headerValue.filter((v) => !/^[\x21-\x7e]{1,128}$/.test(v.trim())).map((value) => ['Idempotency-Key', value] as const),
      headerValue.filter((v) => v.trim() !== '*' && !/^(?:W\/)?"?\d{1,15}"?$/.test(v.trim())).map((value) => ['If-Match', value] as const),
    );
    await fc.assert(
      fc.asyncProperty(header, async ([name, value]) => {
        const response = await t.http
          .post(`/v1/launches/${launchId}/reschedule`)
          .set(bearer(manager))
          .set(name, value)
          .send({ targetDate: '2030-07-01', reason: 'r' });
        expectProblem(response, `${name}: ${JSON.stringify(value).slice(0, 80)}`);
      }),
      { numRuns: RUNS * 2 },
    );
    expect(await t.headPosition()).toBe(before);
    await settled();
  });
});
