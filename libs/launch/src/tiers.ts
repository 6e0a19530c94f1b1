/** A launch's tier: 1 the largest (every department), 3 the smallest. */
export type Tier = 1 | 2 | 3;

export function isTier(value: unknown): value is Tier {
  return value === 1 || value === 2 || value === 3;
}
