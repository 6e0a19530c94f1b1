import { h } from '../dom.js';
import { labelledField } from '../widgets.js';

/** How to ask for each known details field; the API validates, this only picks a fitting input. */
const FIELD_INPUTS: Record<string, { type: string; label: string; hint?: string; parse?: (value: string) => unknown }> = {
  documentUrl: { type: 'url', label: 'Document URL' },
  url: { type: 'url', label: 'Published URL' },
  version: { type: 'text', label: 'Version' },
  sessionDate: { type: 'date', label: 'Session date' },
  repsTrained: { type: 'number', label: 'Reps trained', parse: Number },
  repsTotal: { type: 'number', label: 'Reps in total', parse: Number },
  agentsTrained: { type: 'number', label: 'Agents trained', parse: Number },
  announceAt: { type: 'datetime-local', label: 'Announcement at (UTC)', parse: (value) => (value ? `${value.length === 16 ? `${value}:00` : value}Z` : value) },
  outlets: {
    type: 'text',
    label: 'Outlets',
    hint: 'Comma-separated, e.g. TechCrunch, The Verge',
    parse: (value) =>
      value
        .split(',')
        .map((outlet) => outlet.trim())
        .filter(Boolean),
  },
  currency: { type: 'text', label: 'Currency', hint: 'ISO 4217 code, e.g. USD' },
  listPrice: { type: 'number', label: 'List price', parse: Number },
};

export interface FieldInput {
  /** The API's name for it: `details.version`, `note`, `reason`… */
  field: string;
  wrapper: HTMLElement;
  input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  error: HTMLElement;
  value(): unknown;
}

/** A labelled input with its hint and a slot for the API's message about it. */
export function fieldInput(
  idPrefix: string,
  field: string,
  options: { label: string; type?: string; hint?: string; multiline?: boolean; required?: boolean; parse?: (value: string) => unknown },
): FieldInput {
  const attributes = {
    required: options.required ?? false,
    ...(options.type === 'number' ? { step: 'any', inputmode: 'decimal' } : {}),
  };
  const input = options.multiline ? h('textarea', { ...attributes, rows: 2 }) : h('input', { ...attributes, type: options.type ?? 'text' });
  const { wrapper, error } = labelledField(idPrefix, field, options.label, input, options.hint);
  return {
    field,
    wrapper,
    input,
    error,
    value() {
      const raw = input.value.trim();
      if (raw === '') return undefined;
      return options.parse ? options.parse(raw) : raw;
    },
  };
}

export function detailInputs(idPrefix: string, fields: string[]): FieldInput[] {
  return fields.map((name) => {
    const known = FIELD_INPUTS[name];
    return fieldInput(idPrefix, `details.${name}`, { label: known?.label ?? name, type: known?.type, hint: known?.hint, parse: known?.parse, required: true });
  });
}

/** A labelled select (a choice from a list: department, kind, tier…), read like any other field. */
export function selectField(
  idPrefix: string,
  field: string,
  options: { label: string; choices: Array<{ value: string; label: string }>; hint?: string; multiple?: boolean; parse?: (value: string) => unknown },
): FieldInput & { input: HTMLSelectElement } {
  const input = h(
    'select',
    { multiple: options.multiple ?? false },
    options.choices.map((choice) => h('option', { value: choice.value }, choice.label)),
  );
  const { wrapper, error } = labelledField(idPrefix, field, options.label, input, options.hint);
  return {
    field,
    wrapper,
    input,
    error,
    value() {
      if (options.multiple) return [...input.selectedOptions].map((option) => option.value);
      if (input.value === '') return undefined;
      return options.parse ? options.parse(input.value) : input.value;
    },
  };
}
