import { h } from '../dom.js';
import type { Launch } from '../types.js';
import { downloadLink } from './download-link.js';

const FORMATS = [
  { format: 'ndjson', label: 'Download history (NDJSON)', extension: 'ndjson' },
  { format: 'csv', label: 'Download history (CSV)', extension: 'csv' },
] as const;

/** The history exports, each fetched with the token and then saved. */
export function exportLinks(launch: Pick<Launch, 'launchId' | 'name'>): HTMLElement {
  const status = h('span', { class: 'export-status', role: 'status' });
  const links = FORMATS.map(({ format, label, extension }) =>
    downloadLink(`/v1/launches/${launch.launchId}/history?format=${format}`, label, `${launch.name}-history.${extension}`, status, { 'data-format': format }),
  );
  return h('p', { class: 'export-links' }, 'Export: ', links[0], ' · ', links[1], ' ', status);
}
