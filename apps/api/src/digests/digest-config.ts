/** The daily digests' settings (README, Calendars and reminders). */
export interface DigestConfig {
  /** SMTP_URL (`smtp://user:pass@host:port`, `smtps://…`); undefined: no e-mail is sent (the webhook digest still goes out). */
  smtpUrl?: string;
  /** MAIL_FROM: the sender of digest e-mails. */
  mailFrom: string;
  /** DIGEST_TIME: local time of day the daily run starts, `HH:MM`. */
  time: { hour: number; minute: number };
  /** DIGEST_TIMEZONE: the IANA zone DIGEST_TIME and "today" are in. */
  timezone: string;
  /** DIGEST_SCHEDULE=off: this instance never runs the daily job (POST /v1/admin/digests/run still works). */
  scheduled: boolean;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** Reads the DIGEST_*, SMTP_URL and MAIL_FROM variables; anything invalid stops the start, naming the variable. */
export function parseDigestConfig(env: NodeJS.ProcessEnv): DigestConfig {
  const time = TIME.exec(env.DIGEST_TIME || '07:00');
  if (!time) throw new Error(`DIGEST_TIME must be a time of day HH:MM, got ${JSON.stringify(env.DIGEST_TIME)}`);
  const timezone = env.DIGEST_TIMEZONE || 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new Error(`DIGEST_TIMEZONE must be an IANA time zone (Europe/Berlin, UTC), got ${JSON.stringify(timezone)}`);
  }
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^/]/i.test(smtpUrl)) throw new Error('SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://…');
  const schedule = env.DIGEST_SCHEDULE ?? '';
  if (!/^(|on|off|true|false)$/i.test(schedule)) throw new Error(`DIGEST_SCHEDULE must be on or off, got ${JSON.stringify(schedule)}`);
  return {
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'Launch Control <launch-control@localhost>',
    time: { hour: Number(time[1]), minute: Number(time[2]) },
    timezone,
    scheduled: !/^(off|false)$/i.test(schedule),
  };
}

/** The calendar date and minute of the day at `instant` in `timezone`. */
export function localTime(instant: Date, timezone: string): { date: string; minuteOfDay: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** PUBLIC_URL: the address users reach the API at (calendar feed URLs, dashboard links in e-mails); without a trailing slash. */
export function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username)
    throw new Error(`PUBLIC_URL must be a plain http(s) URL, got ${JSON.stringify(value)}`);
  return url.href.replace(/\/+$/, '');
}
