import { isIsoDate, isIsoInstant } from './dates.js';
import type { FieldError } from './errors.js';

/** Each kind of task, the event its completion records, and the evidence (`details`) it requires. */
export const COMPLETION_EVENTS = {
  messaging: 'MessagingApproved',
  'sales-training': 'SalesTrained',
  pr: 'PrScheduled',
  pricing: 'PricingApproved',
  'support-training': 'SupportTrained',
  docs: 'DocumentationPublished',
  release: 'ReleaseApproved',
  generic: 'TaskCompleted',
} as const;

export type TaskKind = keyof typeof COMPLETION_EVENTS;
export const TASK_KINDS = Object.keys(COMPLETION_EVENTS) as TaskKind[];

export function isTaskKind(value: unknown): value is TaskKind {
  return typeof value === 'string' && Object.hasOwn(COMPLETION_EVENTS, value);
}

type Check = (value: unknown) => string | undefined;

const MAX_TEXT = 500;

const text: Check = (v) =>
  typeof v !== 'string' || v.trim() === '' ? 'must be a non-empty string' : v.length > MAX_TEXT ? `must be at most ${MAX_TEXT} characters` : undefined;
const version: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : text(v));
const url: Check = (v) => (isHttpUrl(v) ? undefined : 'must be an http(s) URL');
const date: Check = (v) => (isIsoDate(v) ? undefined : 'must be a date YYYY-MM-DD');
const instant: Check = (v) => (isIsoInstant(v) || isIsoDate(v) ? undefined : 'must be an ISO-8601 instant');
const positiveInteger: Check = (v) => (Number.isSafeInteger(v) && (v as number) >= 1 ? undefined : 'must be an integer of at least 1');
const currency: Check = (v) => (typeof v === 'string' && /^[A-Z]{3}$/.test(v) ? undefined : 'must be an ISO 4217 code such as USD');
const price: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e12 ? undefined : 'must be a number of at least 0');
const outlets: Check = (v) =>
  !Array.isArray(v) || v.length === 0
    ? 'must list at least one outlet'
    : v.length > 100
      ? 'must list at most 100 outlets'
      : v.some((o) => text(o) !== undefined)
        ? 'each outlet must be a non-empty string'
        : undefined;

const DETAIL_SCHEMAS: Record<TaskKind, Record<string, Check>> = {
  messaging: { documentUrl: url, version },
  'sales-training': { sessionDate: date, repsTrained: positiveInteger, repsTotal: positiveInteger },
  pr: { announceAt: instant, outlets },
  pricing: { currency, listPrice: price },
  'support-training': { sessionDate: date, agentsTrained: positiveInteger },
  docs: { url },
  release: { version },
  generic: {},
};

/** Field names each kind's `details` carries, for documentation (OpenAPI, templates). */
export function detailFields(kind: TaskKind): string[] {
  return Object.keys(DETAIL_SCHEMAS[kind]);
}

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Validates a completion's `details` against its task's kind; returns field errors (empty when valid). */
export function validateDetails(kind: TaskKind, details: unknown): FieldError[] {
  const schema = DETAIL_SCHEMAS[kind];
  const fields = Object.keys(schema);
  if (details === undefined || details === null) {
    return fields.length === 0 ? [] : [{ field: 'details', message: `is required for a ${kind} task: { ${fields.join(', ')} }` }];
  }
  if (typeof details !== 'object' || Array.isArray(details)) {
    return [{ field: 'details', message: 'must be an object' }];
  }
  const errors: FieldError[] = [];
  for (const key of Object.keys(details)) {
    if (!Object.hasOwn(schema, key)) errors.push({ field: `details.${key}`, message: `is not a field of ${kind} details` });
  }
  for (const [key, check] of Object.entries(schema)) {
    const message = check((details as Record<string, unknown>)[key]);
    if (message) errors.push({ field: `details.${key}`, message });
  }
  if (kind === 'sales-training' && errors.length === 0) {
    const { repsTrained, repsTotal } = details as { repsTrained: number; repsTotal: number };
    if (repsTrained > repsTotal) errors.push({ field: 'details.repsTrained', message: 'must not exceed repsTotal' });
  }
  return errors;
}
