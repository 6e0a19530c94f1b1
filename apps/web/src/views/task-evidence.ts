import { h } from '../dom.js';
import { formatInstant } from '../format.js';

/** Readable names of evidence fields, by task kind where the same field means different things. */
const LABELS: Record<string, string> = {
  documentUrl: 'Document',
  version: 'Version',
  sessionDate: 'Session date',
  repsTrained: 'Reps trained',
  repsTotal: 'Reps in total',
  agentsTrained: 'Agents trained',
  announceAt: 'Announced at',
  outlets: 'Outlets',
  currency: 'Currency',
  listPrice: 'List price',
  url: 'Published at',
  evidenceUrl: 'Evidence',
  evidence: 'Evidence',
  note: 'Note',
  reason: 'Reason',
  targetDate: 'Target date',
  previousTargetDate: 'Previous target date',
  dueDate: 'Due date',
  previousDueDate: 'Previous due date',
  decision: 'Decision',
  title: 'Title',
  previousTitle: 'Previous title',
  department: 'Department',
  vote: 'Vote',
};
const KIND_LABELS: Record<string, Record<string, string>> = {
  messaging: { version: 'Messaging version' },
  release: { version: 'Release version' },
  docs: { url: 'Published page' },
};

/** `listPrice` → "List price"; an unknown `someField` → "Some field". */
export function fieldLabel(field: string, kind?: string): string {
  const known = (kind && KIND_LABELS[kind]?.[field]) ?? LABELS[field];
  if (known) return known;
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const isHttpUrl = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\//i.test(value);

/** A value from `details` or an event: links for URLs, lists joined, everything else as text. */
export function evidenceValue(value: unknown): Node | string {
  if (isHttpUrl(value)) return h('a', { href: value, rel: 'noopener noreferrer', target: '_blank' }, value);
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The evidence a completion carries: its details by readable field name, the evidence link, the note, who and when. */
export function evidenceList(evidence: {
  kind?: string;
  details?: Record<string, unknown>;
  evidenceUrl?: string;
  note?: string;
  completedByName?: string;
  completedAt?: string;
}): HTMLElement | null {
  const entries: Array<[string, Node | string]> = [];
  for (const [field, value] of Object.entries(evidence.details ?? {})) entries.push([fieldLabel(field, evidence.kind), evidenceValue(value)]);
  if (evidence.evidenceUrl) entries.push(['Evidence', evidenceValue(evidence.evidenceUrl)]);
  if (evidence.note) entries.push(['Note', evidence.note]);
  if (evidence.completedByName || evidence.completedAt) {
    entries.push(['Signed off', `${evidence.completedByName ?? 'someone'}${evidence.completedAt ? `, ${formatInstant(evidence.completedAt)}` : ''}`]);
  }
  if (entries.length === 0) return null;
  return h(
    'dl',
    { class: 'evidence' },
    entries.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );
}
