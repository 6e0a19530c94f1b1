import { h } from './dom.js';
import { STATUS_LABELS } from './format.js';
import type { ReadinessStatus } from './types.js';

/** A readiness bar: a labelled progressbar coloured by status, with the percentage as text. */
export function readinessBar(percent: number, status: ReadinessStatus, label: string): HTMLElement {
  const fill = h('span', { class: `bar-fill status-${status}` });
  fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
  return h(
    'div',
    { class: 'bar-row' },
    h(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-label': label,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': percent,
        'aria-valuetext': `${percent}% ready, ${STATUS_LABELS[status]}`,
        'data-percent': percent,
      },
      fill,
    ),
    h('span', { class: 'bar-value' }, `${percent}%`),
  );
}

export function statusBadge(status: ReadinessStatus): HTMLElement {
  return h('span', { class: `badge status-${status}` }, STATUS_LABELS[status]);
}

export function flag(text: string, kind: 'overdue' | 'blocked' | 'neutral' | 'done'): HTMLElement {
  return h('span', { class: `flag flag-${kind}` }, text);
}

export function problemBox(message: string): HTMLElement {
  return h('p', { class: 'problem', role: 'alert', tabindex: -1 }, message);
}
