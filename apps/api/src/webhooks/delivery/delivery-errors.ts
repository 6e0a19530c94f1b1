/** An attempt's error until its outcome is recorded: it stays so when the process died mid-request. */
export const NO_ANSWER_RECORDED = 'no answer recorded (the request was in flight when the delivering process stopped)';
export const INTERRUPTED = 'interrupted: this process stopped delivering it (replay, deletion, lost dispatch lease or shutdown)';
export const SECRET_UNREADABLE = 'the secret cannot be opened';

const SHOWN_AS_IS = [
  /^connection failed$/,
  /^timed out$/,
  /^address not allowed$/,
  /^HTTP \d{3}$/,
  /^no answer recorded /,
  /^interrupted: /,
  /^the secret cannot be opened/,
];

/**
 * An attempt's error as answers show it. Older versions logged the network error itself
 * ("connect ECONNREFUSED 10.0.0.7:22", "the receiver answered HTTP 503"), which told open ports
 * from closed ones; those entries are shown in today's words.
 */
export function shownError(stored: string): string {
  if (SHOWN_AS_IS.some((pattern) => pattern.test(stored))) return stored;
  const status = /^the receiver answered HTTP (\d{3})$/.exec(stored);
  if (status) return `HTTP ${status[1]}`;
  return /^no answer within \d+ ms$/.test(stored) ? 'timed out' : 'connection failed';
}
