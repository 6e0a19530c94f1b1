/** The middle sample (the mean of the middle two for an even count), numbers only; null when there is none. */
export function median(samples: readonly number[]): number | null {
  const finite = samples.filter((s) => Number.isFinite(s)).sort((a, b) => a - b);
  if (finite.length === 0) return null;
  const middle = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}
