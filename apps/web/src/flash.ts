/** A message for the next page rendered (e.g. a new launch's warnings, shown in its room), taken once. */
let pending: string[] | undefined;

export function setFlash(lines: string[]): void {
  pending = lines;
}

export function takeFlash(): string[] | undefined {
  const lines = pending;
  pending = undefined;
  return lines;
}
