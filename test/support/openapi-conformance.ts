import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';

/**
 * An independent check that answers conform to an OpenAPI 3.0 document: the document is
 * dereferenced, its `nullable` turned into JSON Schema, and every answer's status, media type,
 * headers and body are checked by ajv (never by the decorators that produced the document).
 */

type Json = Record<string, unknown>;

export interface RecordedAnswer {
  method: string;
  /** The matched route as Fastify names it (`/v1/launches/:launchId`), or undefined when none matched. */
  route: string | undefined;
  url: string;
  status: number;
  headers: Record<string, unknown>;
  /** The body as sent, or undefined for a stream. */
  body: string | undefined;
}

const addFormats = ((ajvFormats as unknown as { default?: unknown }).default ?? ajvFormats) as (ajv: Ajv) => Ajv;

/** Resolves every local `$ref` (the document has no cycles) and rewrites `nullable: true` as JSON Schema. */
export function dereference(document: Json): Json {
  const resolve = (ref: string): unknown =>
    ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Json)[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > 64) throw new Error('the document nests deeper than 64 levels (a $ref cycle?)');
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    if (typeof node !== 'object' || node === null) return node;
    const object = node as Json;
    if (typeof object.$ref === 'string') return walk(resolve(object.$ref), depth + 1);
    const copy: Json = {};
    for (const [key, value] of Object.entries(object)) {
      if (key === 'discriminator' || key === 'example' || key === 'examples' || key === 'nullable') continue;
      copy[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, walk(v, depth + 1)])) : walk(value, depth + 1);
    }
    return object.nullable === true ? { anyOf: [copy, { type: 'null' }] } : copy;
  };
  return walk(document, 0) as Json;
}

const mediaType = (header: unknown): string =>
  String(header ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

export class OpenApiConformance {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateFormats: true }));
  private readonly document: Json;
  private readonly operations = new Map<string, Json>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(served: Json) {
    this.document = dereference(served);
    for (const [path, item] of Object.entries(this.document.paths as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) this.operations.set(`${method.toUpperCase()} ${path}`, operation as Json);
    }
  }

  /** What is wrong with this answer: empty when it conforms. */
  check(answer: RecordedAnswer): string[] {
    const where = `${answer.method} ${answer.url} → ${answer.status}`;
    // A CORS preflight (CORS_ORIGINS) is answered by the CORS layer before any route: not an operation.
    if (answer.method === 'OPTIONS' && answer.status === 204 && answer.headers['access-control-allow-methods'] !== undefined) return [];
    const path = answer.route?.replace(/:(\w+)/g, '{$1}');
    const operation = path ? this.operations.get(`${answer.method} ${path}`) : undefined;
    if (!operation) {
      if (path && !/^\/(v1|health)(\/|$)/.test(path)) return []; // the dashboard's files and /docs are not API operations
      if (path && answer.method === 'HEAD') return [];
      if (path && [...this.operations.keys()].some((key) => key.endsWith(` ${path}`)))
        return this.checkProblem(where, answer, 'a method the path does not have');
      if (path) return [`${where}: the route ${path} is not in the document`];
      return this.checkProblem(where, answer, 'no route');
    }
    const responses = operation.responses as Record<string, Json>;
    const response = responses[String(answer.status)] ?? responses.default;
    if (!response) return [`${where}: status ${answer.status} is not declared (declared: ${Object.keys(responses).join(', ')})`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      const value = answer.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`${where}: required header ${name} is missing`);
        continue;
      }
      const schema = header.schema as Json | undefined;
      if (schema) {
        const typed = schema.type === 'integer' || schema.type === 'number' ? Number(value) : String(value);
        problems.push(...this.validate(`${where} header ${name}`, schema, typed));
      }
    }
    const content = response.content as Record<string, Json> | undefined;
    const type = mediaType(answer.headers['content-type']);
    if (!content) {
      if (answer.body) problems.push(`${where}: a body was sent where the document declares none`);
      return problems;
    }
    const declared = content[type];
    if (!declared) return [...problems, `${where}: media type ${type || '(none)'} is not declared (declared: ${Object.keys(content).join(', ')})`];
    if (isJson(type)) problems.push(...this.validateBody(where, declared.schema as Json, answer.body));
    return problems;
  }

  /** What is wrong with a request body for this operation (`post`, `/v1/launches`): empty when the document allows it. */
  requestProblems(method: string, path: string, body: unknown): string[] {
    const operation = this.operations.get(`${method.toUpperCase()} ${path}`);
    const schema = ((operation?.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.['application/json']?.schema;
    if (!schema) return [`${method} ${path} takes no JSON body`];
    return this.validate(`${method} ${path} request`, schema as Json, body);
  }

  private checkProblem(where: string, answer: RecordedAnswer, why: string): string[] {
    const type = mediaType(answer.headers['content-type']);
    if (answer.status < 400) return [`${where}: ${why}, yet ${answer.status}`];
    if (type !== 'application/problem+json') return [`${where}: ${why}, answered ${type || '(none)'} instead of a problem`];
    return this.validateBody(where, (this.document.components as Json & { schemas: Json }).schemas.Problem as Json, answer.body);
  }

  private validateBody(where: string, schema: Json, body: string | undefined): string[] {
    if (body === undefined) return [`${where}: a stream where JSON is declared`];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`${where}: the body is not JSON: ${body.slice(0, 200)}`];
    }
    return this.validate(where, schema, parsed);
  }

  private validate(where: string, schema: Json, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validator = this.validators.get(key);
    if (!validator) {
      validator = this.ajv.compile(schema);
      this.validators.set(key, validator);
    }
    if (validator(value)) return [];
    const errors = (validator.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
    return [`${where}: ${errors.join('; ')}\n  value: ${JSON.stringify(value).slice(0, 600)}`];
  }
}
