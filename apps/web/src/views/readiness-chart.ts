import { departmentName, type PageContext } from '../context.js';
import { h } from '../dom.js';
import { formatInstant } from '../format.js';
import type { TimelinePoint } from '../readiness-timeline.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 34, right: 8, top: 8, bottom: 22 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

/** Keeps the points where some department's readiness changed (and the first and last). */
function changes(points: TimelinePoint[]): TimelinePoint[] {
  return points.filter((point, i) => i === 0 || i === points.length - 1 || JSON.stringify(point.percent) !== JSON.stringify(points[i - 1]!.percent));
}

/**
 * Readiness over the launch's events, one line per department (x: the events in order, y: percent
 * of required tasks signed off), with a legend and the same numbers as a table for screen readers
 * and anyone who prefers one.
 */
export function readinessChart(context: PageContext, points: TimelinePoint[]): HTMLElement {
  const last = points.at(-1);
  const departments = last ? Object.keys(last.percent) : [];
  const name = (department: string) => departmentName(context, department);
  const x = (i: number) => PAD.left + (points.length < 2 ? 0 : (i * (WIDTH - PAD.left - PAD.right)) / (points.length - 1));
  const y = (percent: number) => PAD.top + ((100 - percent) * (HEIGHT - PAD.top - PAD.bottom)) / 100;
  const grid = [0, 50, 100].map((p) =>
    svg(
      'g',
      {},
      svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(p), y2: y(p), class: 'chart-grid' }),
      svg('text', { x: PAD.left - 4, y: y(p) + 4, class: 'chart-axis', 'text-anchor': 'end' }, `${p}%`),
    ),
  );
  const lines = departments.map((department, index) =>
    svg('polyline', {
      class: `chart-line series-${index % 9}`,
      fill: 'none',
      'data-department': department,
      // A step line: readiness holds until the event that changes it.
      points: points
        .flatMap((point, i) => {
          const at = `${x(i).toFixed(1)},${y(point.percent[department] ?? 0).toFixed(1)}`;
          return i === 0 ? [at] : [`${x(i).toFixed(1)},${y(points[i - 1]!.percent[department] ?? 0).toFixed(1)}`, at];
        })
        .join(' '),
    }),
  );
  const axis = points.length
    ? [
        svg('text', { x: PAD.left, y: HEIGHT - 4, class: 'chart-axis' }, points[0]!.at.slice(0, 10)),
        svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 4, class: 'chart-axis', 'text-anchor': 'end' }, last!.at.slice(0, 10)),
      ]
    : [];
  const summary = departments.map((d) => `${name(d)} ${last!.percent[d]}%`).join(', ');
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'readiness-chart', role: 'img', 'aria-labelledby': 'readiness-chart-title readiness-chart-desc' },
    svg('title', { id: 'readiness-chart-title' }, 'Readiness per department over the launch’s events'),
    svg('desc', { id: 'readiness-chart-desc' }, `${points.length} events; now ${summary}. The table below lists every change.`),
    ...grid,
    ...axis,
    ...lines,
  );
  const shown = changes(points);
  return h(
    'section',
    { class: 'card readiness-over-time', 'aria-labelledby': 'readiness-over-time-title' },
    h('h2', { id: 'readiness-over-time-title' }, 'Readiness over time'),
    points.length === 0
      ? h('p', {}, 'No events yet.')
      : [
          chart,
          h(
            'ul',
            { class: 'chart-legend', 'aria-label': 'Legend' },
            departments.map((d, index) =>
              h('li', {}, h('span', { class: `swatch series-${index % 9}`, 'aria-hidden': 'true' }), `${name(d)}: ${last!.percent[d]}%`),
            ),
          ),
          h(
            'details',
            {},
            h('summary', {}, 'Show the numbers as a table'),
            h(
              'div',
              { class: 'table-scroll', role: 'region', 'aria-label': 'Readiness over time, table', tabindex: 0 },
              h(
                'table',
                { class: 'compact', id: 'readiness-over-time-table' },
                h('caption', { class: 'visually-hidden' }, 'Readiness per department after each event that changed it'),
                h(
                  'thead',
                  {},
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'col' }, 'After'),
                    departments.map((d) => h('th', { scope: 'col' }, name(d))),
                  ),
                ),
                h(
                  'tbody',
                  {},
                  shown.map((point) =>
                    h(
                      'tr',
                      { 'data-revision': point.revision },
                      h('th', { scope: 'row' }, `${point.type} (${formatInstant(point.at)})`),
                      departments.map((d) => h('td', {}, point.percent[d] === undefined ? '—' : `${point.percent[d]}%`)),
                    ),
                  ),
                ),
              ),
            ),
          ),
        ],
  );
}
