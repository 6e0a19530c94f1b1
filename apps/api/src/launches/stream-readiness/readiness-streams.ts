import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { NotFound } from '#launch';
import { LAUNCHES, type LaunchView, type ReadModelStore } from '#read-models';
import { Readable } from 'node:stream';
import { PrincipalAccess } from '../../auth/principal-access.js';
import type { Principal } from '../../auth/principal.js';
import { CLOCK, READ_MODEL_STORE, type Clock } from '../../infrastructure/injection-tokens.js';
import { presentReadiness } from '../shared/launch-presenter.js';
import { sseComment, sseEvent } from './sse-event.js';

export const STREAM_POLL_MS = 250;
export const STREAM_HEARTBEAT_MS = 15_000;
/** How often a stream re-checks that its principal is still allowed (revocation ends it within this). */
export const STREAM_ACCESS_CHECK_MS = 1000;

export interface StreamOptions {
  /** The principal reading: the stream ends once it is revoked (or deleted), or its sign-in session or access token ends. */
  principal?: Principal;
  pollMs?: number;
  heartbeatMs?: number;
  accessCheckMs?: number;
}

/**
 * Live readiness of one launch as server-sent events. Each open stream watches the launch's view in
 * the read-model store (polling works whichever process runs the projections) and sends the
 * readiness whenever the view's revision or the readiness itself (a day passing) changes.
 * Every stream ends when the client goes away, when its principal is revoked or its sign-in ends
 * (checked every second, in the shared stores, so a revocation made by any process counts) or the
 * application shuts down.
 */
@Injectable()
export class ReadinessStreams implements OnModuleDestroy {
  /** Each open stream with what stops its timers. */
  private readonly streams = new Map<Readable, () => void>();
  /** The latest access check per principal, shared by that principal's streams. */
  private readonly accessChecks = new Map<string, { at: number; allowed: Promise<boolean> }>();

  constructor(
    @Inject(READ_MODEL_STORE) private readonly views: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly access: PrincipalAccess,
  ) {}

  /** Throws NotFound for an unknown launch, before anything is sent. */
  async open(launchId: string, options: StreamOptions = {}): Promise<Readable> {
    const first = await this.views.get<LaunchView>(LAUNCHES, launchId);
    if (!first) throw new NotFound('no such launch');

    let poll: NodeJS.Timeout | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    let accessCheck: NodeJS.Timeout | undefined;
    let last = '';
    const stop = () => {
      clearTimeout(poll);
      clearInterval(heartbeat);
      clearInterval(accessCheck);
      poll = heartbeat = accessCheck = undefined;
      this.streams.delete(stream);
    };
    const stream = new Readable({
      read() {},
      destroy(error, callback) {
        stop();
        callback(error);
      },
    });
    stream.on('end', stop);

    const send = (view: LaunchView) => {
      const answer = { ...presentReadiness(view, this.clock.now()), revision: view.revision };
      const key = JSON.stringify(answer);
      if (key === last) return;
      last = key;
      stream.push(sseEvent('readiness', view.revision, answer));
    };
    const watch = () => {
      poll = setTimeout(async () => {
        try {
          const view = await this.views.get<LaunchView>(LAUNCHES, launchId);
          if (!this.streams.has(stream)) return;
          if (view) send(view);
        } catch {
          // The store is briefly unavailable (or closing): try again on the next tick.
        }
        if (this.streams.has(stream)) watch();
      }, options.pollMs ?? STREAM_POLL_MS);
    };

    this.streams.set(stream, stop);
    stream.push(`retry: 2000\n`);
    send(first);
    watch();
    heartbeat = setInterval(() => stream.push(sseComment('heartbeat')), options.heartbeatMs ?? STREAM_HEARTBEAT_MS);
    const { principal } = options;
    if (principal !== undefined) {
      const everyMs = options.accessCheckMs ?? STREAM_ACCESS_CHECK_MS;
      accessCheck = setInterval(async () => {
        if ((await this.stillAllowed(principal, everyMs)) || !this.streams.has(stream)) return;
        stop();
        stream.push(sseComment('access revoked'));
        stream.push(null);
      }, everyMs);
    }
    return stream;
  }

  /** Whether the principal may still read; a store error keeps the stream (the next request is checked anyway). */
  private stillAllowed(principal: Principal, everyMs: number): Promise<boolean> {
    const now = Date.now();
    const key = this.access.key(principal);
    const recent = this.accessChecks.get(key);
    if (recent && now - recent.at < everyMs / 2) return recent.allowed;
    const allowed = this.access.stillAllowed(principal).catch(() => true);
    if (this.accessChecks.size >= 10_000) this.accessChecks.clear();
    this.accessChecks.set(key, { at: now, allowed });
    return allowed;
  }

  /** How many streams are open (for tests and health). */
  get openCount(): number {
    return this.streams.size;
  }

  /** Shutdown: end every stream cleanly so the HTTP server can close its connections. */
  onModuleDestroy(): void {
    for (const [stream, stop] of [...this.streams]) {
      stop();
      stream.push(null);
    }
  }
}
