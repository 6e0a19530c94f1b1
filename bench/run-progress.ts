import { loadavg } from 'node:os';

/** The load average now (1, 5, 15 min), as printed beside every figure of `npm run bench`. */
export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Progress of `npm run bench`, with the time and the load average, to stderr. */
export const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${load()}] ${message}\n`);
