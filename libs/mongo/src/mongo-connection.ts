import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { MongoUnavailableError } from './mongo-errors.js';

export interface MongoConnectionLogger {
  log(message: string): void;
  warn(message: string): void;
  error?(message: string): void;
}

export interface MongoConnectionOptions {
  url: string;
  /** How the URL appears in log lines and errors: pass it without credentials. */
  label: string;
  /** Database name; default: the one in the URL, else `launch_control`. */
  databaseName?: string;
  logger?: MongoConnectionLogger;
  /** Backoff between connection attempts: from `initialDelayMs` (500), doubling up to `maxDelayMs` (10000). */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Extra driver options. */
  clientOptions?: MongoClientOptions;
}

export type MongoConnectionState = 'idle' | 'connecting' | 'connected' | 'retrying' | 'closed';

const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5000;

/** The database named in a MongoDB URL (`mongodb://host/<name>?…`), if any. */
export function databaseNameOf(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?#]*\/([^?#]*)/i.exec(url);
  const name = match?.[1] ? decodeURIComponent(match[1]) : '';
  return name.length > 0 ? name : undefined;
}

/** The delay before attempt `attempt + 1` after `attempt` failures (1-based): doubling, capped. */
export function backoffDelay(attempt: number, initialDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
}

const quiet: MongoConnectionLogger = { log: () => undefined, warn: () => undefined };

/**
 * One MongoDB client, connected lazily and in the background: `start()` (or the first use) begins
 * connecting; a failed attempt is logged with the URL's label and retried with exponential backoff
 * until it succeeds or the connection is closed. Meanwhile `db()` fails at once with
 * `MongoUnavailableError` naming the last reason, so callers answer 503 instead of waiting.
 *
 * (A driver client whose first connection failed keeps a closed topology and fails every later
 * operation; only an explicit `connect()` recovers it, which is what the retry loop does. Once
 * connected, the driver itself follows the servers going away and coming back.)
 */
export class MongoConnection {
  readonly client: MongoClient;
  readonly label: string;
  readonly databaseName: string;
  private readonly logger: MongoConnectionLogger;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private stateValue: MongoConnectionState = 'idle';
  private lastError: string | undefined;
  private attempts = 0;
  private loop: Promise<void> | undefined;
  private attempt: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(options: MongoConnectionOptions) {
    this.label = options.label;
    this.databaseName = options.databaseName ?? databaseNameOf(options.url) ?? 'launch_control';
    this.logger = options.logger ?? quiet;
    this.initialDelayMs = options.retry?.initialDelayMs ?? 500;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 10_000;
    const explicitTimeout = /[?&]serverSelectionTimeoutMS=/i.test(options.url);
    this.client = new MongoClient(options.url, {
      ...(!explicitTimeout && { serverSelectionTimeoutMS: DEFAULT_SERVER_SELECTION_TIMEOUT_MS }),
      ...options.clientOptions,
    });
  }

  get state(): MongoConnectionState {
    return this.stateValue;
  }

  /** Why the last attempt failed (kept until connected). */
  get reason(): string | undefined {
    return this.lastError;
  }

  /** Begins connecting in the background (idempotent). */
  start(): void {
    if (this.loop || this.stateValue === 'closed') return;
    this.loop = this.connectLoop();
  }

  /** The database, once connected; waits for an attempt in flight; else fails at once with the reason. */
  async db(): Promise<Db> {
    if (this.stateValue === 'connected') return this.client.db(this.databaseName);
    if (this.stateValue === 'closed') throw new MongoUnavailableError(`the connection to MongoDB at ${this.label} is closed`);
    this.start();
    await this.attempt?.catch(() => undefined);
    if (this.is('connected')) return this.client.db(this.databaseName);
    throw this.unavailable();
  }

  /** Pings the server; throws `MongoUnavailableError` with the reason when it cannot. */
  async ping(): Promise<void> {
    const db = await this.db();
    try {
      await db.command({ ping: 1 });
    } catch (err) {
      throw new MongoUnavailableError(`MongoDB at ${this.label} does not answer: ${messageOf(err)}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.wake?.();
    await this.attempt?.catch(() => undefined);
    await this.loop;
    await this.client.close().catch(() => undefined);
  }

  /** Reads the state afresh (it changes across awaits, which TypeScript's narrowing does not see). */
  private is(state: MongoConnectionState): boolean {
    return this.stateValue === state;
  }

  private unavailable(): MongoUnavailableError {
    return new MongoUnavailableError(`MongoDB at ${this.label} is unreachable${this.lastError ? `: ${this.lastError}` : ' (connecting)'}`);
  }

  private async connectLoop(): Promise<void> {
    while (this.stateValue !== 'closed' && this.stateValue !== 'connected') {
      this.stateValue = this.attempts === 0 ? 'connecting' : 'retrying';
      this.attempts += 1;
      this.attempt = this.client.connect().then(() => undefined);
      try {
        await this.attempt;
        if (this.is('closed')) return;
        this.stateValue = 'connected';
        this.lastError = undefined;
        this.logger.log(`connected to MongoDB at ${this.label} (database ${this.databaseName})`);
        return;
      } catch (err) {
        if (this.is('closed')) return;
        this.lastError = messageOf(err);
        const delay = backoffDelay(this.attempts, this.initialDelayMs, this.maxDelayMs);
        this.stateValue = 'retrying';
        this.logger.warn(`MongoDB at ${this.label} is unreachable (${this.lastError}); retrying in ${delay} ms (attempt ${this.attempts})`);
        await this.sleep(delay);
      } finally {
        this.attempt = undefined;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wake = undefined;
    });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
