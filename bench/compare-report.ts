/**
 * The pure half of `npm run bench:compare`: each figure measured on both builds (one sample per
 * round or slice), its median, the ratio current ÷ baseline, and the judgement against the tolerance.
 * The median rather than the mean: on this shared machine one round now and then meets a disk flush
 * or a neighbour's burst, and a tail figure (a p99, a maximum) of that round alone would otherwise
 * decide the comparison; every sample is still printed.
 */
import { median } from './median.js';

/** Which way is better; `none` for a diagnostic (commands per fsync), shown but not judged. */
export type Direction = 'higher' | 'lower' | 'none';

export interface Figure {
  name: string;
  unit: string;
  better: Direction;
  baseline: number[];
  current: number[];
}

/**
 * `within`: |current ÷ baseline − 1| ≤ tolerance; `better`/`worse`: moved further than that, in
 * that direction; `not judged`: a diagnostic, or a side without a sample.
 */
export type Verdict = 'within' | 'better' | 'worse' | 'not judged';

export interface ComparedFigure {
  name: string;
  unit: string;
  better: Direction;
  baseline: number | null;
  current: number | null;
  ratio: number | null;
  verdict: Verdict;
  samples: { baseline: number[]; current: number[] };
}

export interface Comparison {
  tolerance: number;
  figures: ComparedFigure[];
  /** Every judged figure is `within` or `better`. */
  ok: boolean;
  worse: string[];
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export function judge(better: Direction, ratio: number | null, tolerance: number): Verdict {
  if (better === 'none' || ratio === null || !Number.isFinite(ratio)) return 'not judged';
  // Rounded to 3 digits, with a margin for binary fractions: 1.1 - 1 is 0.10000000000000009.
  const r = round(ratio, 3);
  if (Math.abs(r - 1) <= tolerance + 1e-9) return 'within';
  const improved = better === 'higher' ? r > 1 : r < 1;
  return improved ? 'better' : 'worse';
}

export function compare(figures: Figure[], tolerance = 0.1): Comparison {
  const compared = figures.map((figure): ComparedFigure => {
    const baseline = median(figure.baseline);
    const current = median(figure.current);
    const ratio = baseline === null || current === null || baseline === 0 ? null : round(current / baseline, 3);
    return {
      name: figure.name,
      unit: figure.unit,
      better: figure.better,
      baseline: baseline === null ? null : round(baseline, 2),
      current: current === null ? null : round(current, 2),
      ratio,
      verdict: judge(figure.better, ratio, tolerance),
      samples: { baseline: figure.baseline, current: figure.current },
    };
  });
  const worse = compared.filter((f) => f.verdict === 'worse').map((f) => f.name);
  return { tolerance, figures: compared, ok: worse.length === 0, worse };
}

const show = (n: number | null) => (n === null ? '–' : String(n));
const samplesOf = (s: number[]) => (s.length > 1 ? ` (${s.map((x) => round(x, 2)).join(', ')})` : '');

/** A Markdown table of every figure: medians (with each sample), ratio and judgement. */
export function formatTable(comparison: Comparison): string {
  const pct = Math.round(comparison.tolerance * 100);
  const head = [`| figure | unit | better | baseline | current | current ÷ baseline | within ${pct} % |`, '| --- | --- | --- | ---: | ---: | ---: | --- |'];
  const rows = comparison.figures.map(
    (f) =>
      `| ${f.name} | ${f.unit} | ${f.better === 'none' ? '–' : f.better} | ${show(f.baseline)}${samplesOf(f.samples.baseline)} | ${show(f.current)}${samplesOf(f.samples.current)} | ${show(f.ratio)} | ${verdictText(f.verdict)} |`,
  );
  const summary = comparison.ok
    ? `every judged figure is within ${pct} % of the baseline or better`
    : `${comparison.worse.length} figure(s) worse than the baseline by more than ${pct} %: ${comparison.worse.join('; ')}`;
  return [...head, ...rows, '', summary].join('\n');
}

function verdictText(verdict: Verdict): string {
  if (verdict === 'within') return 'yes';
  if (verdict === 'better') return 'yes (better)';
  if (verdict === 'worse') return '**NO (worse)**';
  return '–';
}
