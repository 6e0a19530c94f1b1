import { h } from '../dom.js';
import { formatInstant } from '../format.js';

const isHttpUrl = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\//i.test(value);

/** A value from `details` or an event: links for URLs, lists joined, everything else as text. */
export function evidenceValue(value: unknown): Node | string {
  if (isHttpUrl(value)) return h('a', { href: value, rel: 'noopener noreferrer', target: '_blank' }, value);
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The evidence a completion carries: its details by field, the evidence link, the note, who and when. */
export function evidenceList(evidence: {
  details?: Record<string, unknown>;
  evidenceUrl?: string;
  note?: string;
  completedByName?: string;
  completedAt?: string;
}): HTMLElement | null {
  const entries: Array<[string, Node | string]> = [];
  for (const [field, value] of Object.entries(evidence.details ?? {})) entries.push([field, evidenceValue(value)]);
  if (evidence.evidenceUrl) entries.push(['evidence', evidenceValue(evidence.evidenceUrl)]);
  if (evidence.note) entries.push(['note', evidence.note]);
  if (evidence.completedByName || evidence.completedAt) {
    entries.push(['signed off', `${evidence.completedByName ?? 'someone'}${evidence.completedAt ? `, ${formatInstant(evidence.completedAt)}` : ''}`]);
  }
  if (entries.length === 0) return null;
  return h(
    'dl',
    { class: 'evidence' },
    entries.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]),
  );
}
