import { ApiError, getPage } from '../api.js';
import type { Page } from '../context.js';
import { mayManage } from '../role-rules.js';
import { announce, h, replaceChildren } from '../dom.js';
import { daysToLaunchText, daysUntil } from '../format.js';
import type { LaunchSummary } from '../types.js';
import { problemBox, readinessBar, statusBadge } from '../widgets.js';

const PAGE_SIZE = 25;
/** The list follows changes by asking again this often (readiness moves with every sign-off anywhere). */
const REFRESH_MS = 5_000;
const STATUSES = ['planning', 'go', 'no-go', 'launched', 'cancelled'];
/** The status filter's choices: one status, or a comma list the API takes as "any of them". */
const STATUS_CHOICES: Array<[string, string]> = [
  ['', 'Any status'],
  ['planning,go,no-go', 'Not yet launched or cancelled'],
  ...STATUSES.map((value): [string, string] => [value, value]),
  ['launched,cancelled', 'Launched or cancelled'],
];
const SORTS: Array<[string, string]> = [
  ['targetDate', 'Target date, soonest first'],
  ['-targetDate', 'Target date, latest first'],
  ['name', 'Name, A to Z'],
  ['-name', 'Name, Z to A'],
  ['readiness', 'Readiness, least ready first'],
  ['-readiness', 'Readiness, most ready first'],
];

interface Filters {
  q: string;
  status: string;
  tier: string;
  sort: string;
}

/**
 * Servers without paging refuse these parameters (400) or ignore them: then the list is asked for
 * whole (`status` and `tier` only) and searched and sorted here. Remembered for the tab.
 */
let serverPages: boolean | undefined;

/** Every launch: search, filter, sort, "Load more" by the server's `Link: rel="next"`, kept current by polling. */
export const renderLaunches: Page = async (main, context, [query]) => {
  const filters = readFilters(query);
  const search = h('input', { type: 'search', value: filters.q, autocomplete: 'off' });
  const status = choice(STATUS_CHOICES, filters.status);
  const tier = choice(
    [
      ['', 'Any tier'],
      ['1', 'Tier 1'],
      ['2', 'Tier 2'],
      ['3', 'Tier 3'],
    ],
    filters.tier,
  );
  const sort = choice(SORTS, filters.sort);
  const summary = h('p', { class: 'muted', id: 'launch-count', role: 'status' });
  const results = h('div', { class: 'launch-results' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const controls = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Find launches' },
    labelled('launch-q', 'Search', search),
    labelled('launch-status', 'Status', status),
    labelled('launch-tier', 'Tier', tier),
    labelled('launch-sort', 'Sort by', sort),
  );

  let shown: LaunchSummary[] = [];
  let next: string | undefined;
  let generation = 0;

  const current = (): Filters => ({ q: search.value.trim(), status: status.value, tier: tier.value, sort: sort.value });
  const draw = () => {
    const focused = (document.activeElement as HTMLElement | null)?.getAttribute('href');
    replaceChildren(
      results,
      shown.length === 0 ? h('p', {}, current().q || current().status || current().tier ? 'No launch matches.' : 'No launches yet.') : launchTable(shown),
    );
    if (focused) results.querySelector<HTMLElement>(`a[href="${CSS.escape(focused)}"]`)?.focus();
    summary.textContent = `${shown.length} launch${shown.length === 1 ? '' : 'es'} shown${next ? ', more available' : ''}.`;
    more.hidden = !next;
  };

  /** The first page again, as many rows as are shown (so a refresh keeps "Load more" pages). */
  const load = async (keep: number) => {
    const mine = ++generation;
    const answer = await fetchLaunches(current(), Math.min(500, Math.max(PAGE_SIZE, keep)));
    if (mine !== generation) return false;
    const changed = JSON.stringify(answer.items) !== JSON.stringify(shown) || answer.next !== next;
    shown = answer.items;
    next = answer.next;
    if (changed) draw();
    return changed;
  };

  const apply = async () => {
    const wanted = current();
    history.replaceState(null, '', `#/launches${filterQuery(wanted) ? `?${filterQuery(wanted)}` : ''}`);
    try {
      await load(PAGE_SIZE);
      announce(summary.textContent ?? '');
    } catch (error) {
      replaceChildren(results, problemBox((error as Error).message));
    }
  };
  let typing: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(typing);
    typing = window.setTimeout(() => void apply(), 250);
  });
  for (const select of [status, tier, sort]) select.addEventListener('change', () => void apply());
  controls.addEventListener('submit', (event) => {
    event.preventDefault();
    void apply();
  });
  more.addEventListener('click', async () => {
    if (!next) return;
    more.disabled = true;
    try {
      const page = await getPage<LaunchSummary>(next);
      const seen = new Set(shown.map((launch) => launch.launchId));
      shown = [...shown, ...page.items.filter((launch) => !seen.has(launch.launchId))];
      next = page.next;
      draw();
      announce(summary.textContent ?? '');
    } catch (error) {
      replaceChildren(summary, problemBox((error as Error).message));
    } finally {
      more.disabled = false;
    }
  });

  await load(PAGE_SIZE);
  replaceChildren(
    main,
    h(
      'div',
      { class: 'page-title' },
      h('h1', {}, 'Launches'),
      mayManage(context.principal) ? h('a', { href: '#/launches/new', class: 'button-link primary', id: 'new-launch' }, 'New launch') : null,
    ),
    controls,
    summary,
    results,
    h('div', { class: 'more' }, more),
  );

  const timer = window.setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    load(shown.length).catch(() => undefined); // a lost server is the shell's banner; the next tick tries again
  }, REFRESH_MS);
  return () => {
    window.clearInterval(timer);
    window.clearTimeout(typing);
    generation++;
  };
};

async function fetchLaunches(filters: Filters, limit: number): Promise<{ items: LaunchSummary[]; next?: string }> {
  const plain = new URLSearchParams();
  if (filters.status) plain.set('status', filters.status);
  if (filters.tier) plain.set('tier', filters.tier);
  if (serverPages !== false) {
    const paged = new URLSearchParams(plain);
    paged.set('limit', String(limit));
    if (filters.sort !== 'targetDate') paged.set('sort', filters.sort);
    if (filters.q) paged.set('q', filters.q);
    try {
      const page = await getPage<LaunchSummary>(`/v1/launches?${paged}`);
      // A server that ignored the parameters sends everything, unsearched: finish the job here.
      if (!page.next && page.items.length > limit) serverPages = false;
      else {
        serverPages = true;
        return { ...page, items: searchAndSort(page.items, { ...filters, sort: '' }) };
      }
      return { items: searchAndSort(page.items, filters) };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 400)) throw error;
      serverPages = false;
    }
  }
  const everything = await getPage<LaunchSummary>(`/v1/launches${plain.toString() ? `?${plain}` : ''}`);
  return { items: searchAndSort(everything.items, filters) };
}

function searchAndSort(launches: LaunchSummary[], { q, sort }: Filters): LaunchSummary[] {
  const needle = q.toLowerCase();
  const found = needle ? launches.filter((launch) => `${launch.name}\n${launch.product}`.toLowerCase().includes(needle)) : [...launches];
  if (!sort) return found; // the server's order
  const descending = sort.startsWith('-');
  const key = sort.replace(/^-/, '');
  const compare = (a: LaunchSummary, b: LaunchSummary) =>
    key === 'name' ? a.name.localeCompare(b.name) : key === 'readiness' ? a.readiness.percent - b.readiness.percent : a.targetDate.localeCompare(b.targetDate);
  return found.sort((a, b) => (descending ? -compare(a, b) : compare(a, b)) || a.launchId.localeCompare(b.launchId));
}

function readFilters(query: string | undefined): Filters {
  const params = new URLSearchParams(query ?? '');
  const sort = params.get('sort') ?? 'targetDate';
  return {
    q: params.get('q') ?? '',
    status: STATUS_CHOICES.some(([value]) => value === params.get('status')) ? (params.get('status') as string) : '',
    tier: ['1', '2', '3'].includes(params.get('tier') ?? '') ? (params.get('tier') as string) : '',
    sort: SORTS.some(([value]) => value === sort) ? sort : 'targetDate',
  };
}

function filterQuery(filters: Filters): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value && !(name === 'sort' && value === 'targetDate')) params.set(name, value);
  return params.toString();
}

function choice(options: Array<[string, string]>, selected: string): HTMLSelectElement {
  return h(
    'select',
    {},
    options.map(([value, label]) => h('option', { value, selected: value === selected }, label)),
  );
}

function labelled(id: string, label: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  control.id = id;
  return h('div', { class: 'filter' }, h('label', { for: id }, label), control);
}

function launchTable(launches: LaunchSummary[]): HTMLElement {
  const headings = ['Launch', 'Tier', 'Target date', 'Status', 'Readiness', 'Days to launch'];
  const rows = launches.map((launch) =>
    h(
      'tr',
      { 'data-launch-id': launch.launchId },
      h('th', { scope: 'row' }, h('a', { href: `#/launches/${launch.launchId}` }, launch.name), h('div', { class: 'muted' }, launch.product)),
      h('td', { 'data-label': headings[1] }, `Tier ${launch.tier}`),
      h('td', { 'data-label': headings[2] }, h('time', { datetime: launch.targetDate }, launch.targetDate)),
      h('td', { 'data-label': headings[3] }, h('span', { class: `launch-status launch-${launch.status}` }, launch.status)),
      h(
        'td',
        { class: 'bar-cell', 'data-label': headings[4] },
        h(
          'div',
          { class: 'readiness-cell' },
          readinessBar(launch.readiness.percent, launch.readiness.status, `${launch.name} readiness`),
          statusBadge(launch.readiness.status),
        ),
      ),
      h('td', { class: daysUntil(launch.targetDate) < 0 ? 'past' : '', 'data-label': headings[5] }, daysToLaunchText(launch.targetDate)),
    ),
  );
  return h(
    'table',
    { class: 'launches stack-on-phone' },
    h('caption', { class: 'visually-hidden' }, 'Launches'),
    h('thead', {}, h('tr', {}, ...headings.map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, rows),
  );
}
