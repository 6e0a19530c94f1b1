import { describe, expect, it } from '@jest/globals';
import { compare, formatTable, judge, type Figure } from '../bench/compare-report.js';
import { median } from '../bench/median.js';

const figure = (name: string, better: Figure['better'], baseline: number[], current: number[]): Figure => ({ name, unit: 'x', better, baseline, current });

describe('bench:compare report', () => {
  it('judges a ratio within the tolerance either way, and beyond it by the direction that is better', () => {
    expect(judge('higher', 0.9, 0.1)).toBe('within');
    expect(judge('higher', 1.1, 0.1)).toBe('within');
    expect(judge('higher', 0.899, 0.1)).toBe('worse');
    expect(judge('higher', 1.2, 0.1)).toBe('better');
    expect(judge('lower', 1.101, 0.1)).toBe('worse');
    expect(judge('lower', 0.5, 0.1)).toBe('better');
    expect(judge('none', 3, 0.1)).toBe('not judged');
    expect(judge('higher', null, 0.1)).toBe('not judged');
  });

  it('compares the medians of the samples as current ÷ baseline (of two, their mean)', () => {
    const { figures } = compare([figure('durable', 'higher', [1000, 1200], [1050, 1150]), figure('p99', 'lower', [10, 30], [25, 35])]);
    expect(figures[0]).toMatchObject({ baseline: 1100, current: 1100, ratio: 1, verdict: 'within' });
    expect(figures[1]).toMatchObject({ baseline: 20, current: 30, ratio: 1.5, verdict: 'worse' });
  });

  it('lets no single disturbed round decide a figure of three or more, and still flags a build slower in most of them', () => {
    const { figures } = compare([figure('lag max', 'lower', [45, 49, 52], [47, 120, 50]), figure('lag p99', 'lower', [30, 31, 80], [40, 41, 29])]);
    expect(figures[0]).toMatchObject({ baseline: 49, current: 50, ratio: 1.02, verdict: 'within' });
    expect(figures[1]).toMatchObject({ baseline: 31, current: 40, ratio: 1.29, verdict: 'worse' });
  });

  it('fails the comparison on one figure worse than the tolerance, never on better or diagnostic ones', () => {
    const fine = compare([figure('replay', 'higher', [100], [150]), figure('per fsync', 'none', [5], [50])]);
    expect(fine.ok).toBe(true);
    const worse = compare([figure('replay', 'higher', [100], [150]), figure('rebuild', 'lower', [40], [48])]);
    expect(worse.ok).toBe(false);
    expect(worse.worse).toEqual(['rebuild']);
  });

  it('does not judge a figure one side did not produce, and shows it as absent', () => {
    const comparison = compare([figure('ledger on ÷ off', 'higher', [], [0.97])]);
    expect(comparison.figures[0]).toMatchObject({ baseline: null, current: 0.97, ratio: null, verdict: 'not judged' });
    expect(comparison.ok).toBe(true);
    expect(formatTable(comparison)).toContain('| ledger on ÷ off | x | higher | – | 0.97 | – | – |');
  });

  it('ignores samples that are not numbers (a phase with no probe answered)', () => {
    expect(median([NaN, 4, 6])).toBe(5);
    expect(median([6, NaN, 9, 4])).toBe(6);
    expect(median([NaN])).toBeNull();
  });

  it('prints every figure with each round, the ratio and the judgement, then the summary', () => {
    const table = formatTable(compare([figure('durable, 100 conn', 'higher', [2000, 2400], [1500, 1700])]));
    expect(table).toContain('| durable, 100 conn | x | higher | 2200 (2000, 2400) | 1600 (1500, 1700) | 0.727 | **NO (worse)** |');
    expect(table).toContain('1 figure(s) worse than the baseline by more than 10 %: durable, 100 conn');
  });
});
