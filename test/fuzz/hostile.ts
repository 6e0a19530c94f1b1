import { expect } from '@jest/globals';
import fc from 'fast-check';

/** What a body field must be; each kind knows which values it must refuse. */
export type FieldKind = 'text' | 'date' | 'tier' | 'decision' | 'department' | 'role' | 'boolean' | 'url' | 'details' | 'uuids' | 'kind';

const NOT_A_STRING = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf'];

/** Strings from every corner of Unicode, controls, lone surrogates, and SQL/JSON metacharacters. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\u202e2030-01-01',
    '\uFEFF',
    "'; DROP TABLE events; --",
    '{"$gt":""}',
    '../../etc/passwd',
    '%00',
    'null',
    'undefined',
    'NaN',
    '-1',
    '1e309',
    ...PROTOTYPE_KEYS,
  ),
);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Values a field of this kind must refuse (never null: optional fields take null as absent). */
export function wrongValue(kind: FieldKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'text':
      return fc.oneof(NOT_A_STRING, fc.constant(''), fc.constant('   '), fc.constant('x'.repeat(10_001)));
    case 'date':
      return fc.oneof(
        NOT_A_STRING,
        hostileString.filter((s) => !DATE.test(s)),
        fc.constantFrom('2030-02-30', '2030-13-01', '0000-00-00', '2030-1-1', '20300101'),
      );
    case 'tier':
      return fc.oneof(
        fc.integer().filter((n) => n < 1 || n > 3),
        fc.double({ min: 1.01, max: 2.99, noNaN: true }),
        fc.constantFrom('1', '2', true, [1], { tier: 1 }),
        hostileString,
      );
    case 'decision':
    case 'department':
    case 'role':
    case 'kind':
      return fc.oneof(NOT_A_STRING, hostileString, fc.constantFrom('GO', 'Go ', 'admin ', 'Sales', 'generic\u0000'));
    case 'boolean':
      return fc.oneof(fc.integer(), fc.constantFrom('true', 'false', '1', '', [true], {}), hostileString);
    case 'url':
      return fc.oneof(
        NOT_A_STRING,
        hostileString.filter((s) => !/^https?:\/\/./.test(s)),
        fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'ftp://x', `https://${'a'.repeat(3000)}.example.com`),
      );
    case 'details':
      return fc.oneof(fc.integer(), fc.boolean(), hostileString, fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }));
    case 'uuids':
      return fc.oneof(
        hostileString,
        fc.integer(),
        fc.array(
          hostileString.filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
          { minLength: 1, maxLength: 3 },
        ),
      );
  }
}

export interface BodySpec {
  fields: Record<string, FieldKind>;
  /** A body the endpoint accepts as it is: one change must be enough to make it refused. */
  base: Record<string, unknown>;
}

/** Raw JSON bodies built from a valid one by one hostile change. */
export function hostileBody(spec: BodySpec): fc.Arbitrary<{ what: string; raw: string | Buffer }> {
  const names = Object.keys(spec.fields);
  const json = (body: Record<string, unknown>) => JSON.stringify(body);
  /** The valid body with one more member, written into the JSON text (so `__proto__` is a real own key on the wire). */
  const withMember = (key: string, rawValue: string) => {
    const { [key]: _replaced, ...others } = spec.base;
    const rest = json(others).slice(1);
    return `{${JSON.stringify(key)}:${rawValue}${rest === '}' ? '}' : `,${rest}`}`;
  };
  const arbitraries: Array<fc.Arbitrary<{ what: string; raw: string | Buffer }>> = [
    fc
      .tuple(
        fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ minLength: 1, maxLength: 30 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 })),
        fc.jsonValue({ maxDepth: 3 }),
      )
      .filter(([key]) => !names.includes(key))
      .map(([key, value]) => ({ what: `extra field ${JSON.stringify(key)}`, raw: withMember(key, JSON.stringify(value) ?? 'null') })),
    fc
      .constantFrom(...PROTOTYPE_KEYS.slice(0, 3))
      .map((key) => ({ what: `pollution via ${key}`, raw: withMember(key, key === 'constructor' ? '{"prototype":{"polluted":true}}' : '{"polluted":true}') })),
    fc
      .integer({ min: 17, max: 5_000 })
      .map((depth) => ({ what: `nested ${depth} deep`, raw: withMember(names[0] ?? 'extra', `${'['.repeat(depth)}${']'.repeat(depth)}`) })),
    fc
      .integer({ min: 17, max: 2_000 })
      .map((depth) => ({ what: `object nested ${depth} deep`, raw: withMember('extra', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) })),
    fc
      .oneof(fc.array(fc.jsonValue({ maxDepth: 2 })), fc.string(), fc.integer(), fc.boolean())
      .map((value) => ({ what: 'a body that is not an object', raw: JSON.stringify(value) })),
    fc.constantFrom(70_000, 200_000).map((size) => ({ what: `a body of ${size} bytes`, raw: json({ ...spec.base, [names[0] ?? 'note']: 'x'.repeat(size) }) })),
    fc.uint8Array({ minLength: 1, maxLength: 20 }).map((bytes) => ({
      what: 'bytes that are not UTF-8 JSON',
      raw: Buffer.concat([Buffer.from('{"x":"'), Buffer.from(bytes.map((b) => b | 0x80)), Buffer.from('"')]),
    })),
  ];
  for (const name of names) {
    arbitraries.push(
      wrongValue(spec.fields[name]).map((value) => ({ what: `${name} = ${JSON.stringify(value)?.slice(0, 60)}`, raw: json({ ...spec.base, [name]: value }) })),
    );
  }
  return fc.oneof(...arbitraries);
}

/** A refusal as the contract wants it: a 4xx problem document, never a stack trace. */
export function expectProblem(response: { status: number; headers: Record<string, string>; body: unknown; text?: string }, context: string): void {
  const summary = { context, status: response.status, type: response.headers['content-type'] };
  expect(summary).toEqual({ context, status: expect.any(Number), type: expect.stringMatching(/^application\/problem\+json/) });
  expect({ context, status: response.status >= 400 && response.status < 500 }).toEqual({ context, status: true });
  expect(response.body).toMatchObject({ status: response.status, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
  expect(response.text ?? '').not.toMatch(/\bat .+\.(ts|js):\d+/);
}

export function expectNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
}
