import { getBlob } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { problemBox } from '../widgets.js';

/**
 * A link to an export (history, report CSV). A plain link cannot carry the bearer token (and a token
 * must never be put in a URL), so the click fetches the file with it and hands the browser the file
 * to save. `status` is where "Downloaded…" or the refusal is said.
 */
export function downloadLink(path: string, label: string, filename: string, status: HTMLElement, attributes: Record<string, string> = {}): HTMLAnchorElement {
  const link = h('a', { href: path, class: 'export-link', download: filename, ...attributes }, label);
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    replaceChildren(status, 'Preparing the download…');
    try {
      const url = URL.createObjectURL(await getBlob(path));
      const save = h('a', { href: url, download: filename, hidden: true });
      document.body.appendChild(save);
      save.click();
      save.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      replaceChildren(status, `Downloaded ${filename}.`);
    } catch (error) {
      replaceChildren(status, problemBox(`Could not download: ${(error as Error).message}`));
    }
  });
  return link;
}
