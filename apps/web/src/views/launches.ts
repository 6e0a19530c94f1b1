import { get } from '../api.js';
import type { Page } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { daysToLaunchText, daysUntil } from '../format.js';
import type { LaunchSummary } from '../types.js';
import { readinessBar, statusBadge } from '../widgets.js';

/** Every launch: name, tier, target date, status, overall readiness, days to launch. */
export const renderLaunches: Page = async (main) => {
  const launches = await get<LaunchSummary[]>('/v1/launches');
  const rows = [...launches]
    .sort((a, b) => a.targetDate.localeCompare(b.targetDate))
    .map((launch) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, h('a', { href: `#/launches/${launch.launchId}` }, launch.name), h('div', { class: 'muted' }, launch.product)),
        h('td', {}, `Tier ${launch.tier}`),
        h('td', {}, h('time', { datetime: launch.targetDate }, launch.targetDate)),
        h('td', {}, h('span', { class: `launch-status launch-${launch.status}` }, launch.status)),
        h(
          'td',
          { class: 'bar-cell' },
          h(
            'div',
            { class: 'readiness-cell' },
            readinessBar(launch.readiness.percent, launch.readiness.status, `${launch.name} readiness`),
            statusBadge(launch.readiness.status),
          ),
        ),
        h('td', { class: daysUntil(launch.targetDate) < 0 ? 'past' : '' }, daysToLaunchText(launch.targetDate)),
      ),
    );
  replaceChildren(
    main,
    h('h1', {}, 'Launches'),
    launches.length === 0
      ? h('p', {}, 'No launches yet.')
      : h(
          'table',
          { class: 'launches' },
          h('caption', { class: 'visually-hidden' }, 'Launches by target date'),
          h(
            'thead',
            {},
            h('tr', {}, ...['Launch', 'Tier', 'Target date', 'Status', 'Readiness', 'Days to launch'].map((title) => h('th', { scope: 'col' }, title))),
          ),
          h('tbody', {}, rows),
        ),
  );
};
