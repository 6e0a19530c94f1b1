import { session } from '../session.js';
import { h, replaceChildren } from '../dom.js';
import type { Launch } from '../types.js';
import { problemBox } from '../widgets.js';

const FORMATS = [
  { format: 'ndjson', label: 'Download history (NDJSON)', extension: 'ndjson' },
  { format: 'csv', label: 'Download history (CSV)', extension: 'csv' },
] as const;

/**
 * The history exports. A plain link cannot carry the bearer token (and a token must never be put
 * in a URL), so each link fetches the export with it and hands the browser the file to save.
 */
export function exportLinks(launch: Pick<Launch, 'launchId' | 'name'>): HTMLElement {
  const status = h('span', { class: 'export-status', role: 'status' });
  const links = FORMATS.map(({ format, label, extension }) => {
    const path = `/v1/launches/${launch.launchId}/history?format=${format}`;
    const link = h('a', { href: path, class: 'export-link', 'data-format': format, download: `${launch.name}-history.${extension}` }, label);
    link.addEventListener('click', async (event) => {
      event.preventDefault();
      replaceChildren(status, 'Preparing the download…');
      try {
        const token = session.token();
        const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
        if (!response.ok) throw new Error(`the export was refused (HTTP ${response.status})`);
        const url = URL.createObjectURL(await response.blob());
        const save = h('a', { href: url, download: link.getAttribute('download') ?? `history.${extension}`, hidden: true });
        document.body.appendChild(save);
        save.click();
        save.remove();
        window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
        replaceChildren(status, `Downloaded the ${format.toUpperCase()} export.`);
      } catch (error) {
        replaceChildren(status, problemBox(`Could not download: ${(error as Error).message}`));
      }
    });
    return link;
  });
  return h('p', { class: 'export-links' }, 'Export: ', links[0], ' · ', links[1], ' ', status);
}
