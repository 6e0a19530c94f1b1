import { h } from '../dom.js';

export const TASK_STATUSES: Array<[string, string]> = [
  ['open', 'Open'],
  ['blocked', 'Blocked'],
  ['stale', 'Stale (sign off again)'],
  ['completed', 'Completed'],
  ['waived', 'Waived'],
];

/** A group of status checkboxes; `changed` gets the ticked statuses (sent to the API as a comma list). */
export function statusFilter(id: string, legend: string, selected: readonly string[], changed: (statuses: string[]) => void): HTMLFieldSetElement {
  const boxes = TASK_STATUSES.map(([value, label]) => {
    const box = h('input', { type: 'checkbox', id: `${id}-${value}`, value, checked: selected.includes(value) });
    box.addEventListener('change', () => changed(boxes.filter(([input]) => input.checked).map(([input]) => input.value)));
    return [box, h('label', { for: box.id }, box, label)] as const;
  });
  return h(
    'fieldset',
    { class: 'status-filter', id },
    h('legend', {}, legend),
    boxes.map(([, label]) => label),
  );
}
