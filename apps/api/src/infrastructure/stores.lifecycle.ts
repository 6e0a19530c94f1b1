import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { StoreUnavailableError, type EventStore } from '#event-store';
import type { ReadModelStore } from '#read-models';
import { bootstrapAdmin } from '../auth/bootstrap-admin.js';
import { PRINCIPAL_STORE, type PrincipalStore } from '../auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE, READ_MODEL_STORE } from './injection-tokens.js';
import type { LeaseContext } from './projector-thread/leased-rebuild.js';
import { LEASE_CONTEXT, PROJECTOR, VIEW_STORES, type RunningProjections } from './store-tokens.js';
import type { ViewStores } from './view-stores.factory.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Starts what the stores need (the admin, the projections), stops them in order, and says whether all answer. */
@Injectable()
export class StoresLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Stores');
  private adminPending: string | undefined;
  private adminRetry: NodeJS.Timeout | undefined;
  private shuttingDown = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly views: ReadModelStore,
    @Inject(PRINCIPAL_STORE) private readonly principals: PrincipalStore,
    @Inject(PROJECTOR) private readonly projector: RunningProjections | null,
    @Inject(VIEW_STORES) private readonly viewStores: ViewStores,
    @Inject(LEASE_CONTEXT) private readonly leases: LeaseContext,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin(1);
    await this.projector?.start();
  }

  /** Creates the bootstrap admin; while the principal store is unavailable (MongoDB down), retries in the background. */
  private async ensureAdmin(attempt: number): Promise<void> {
    try {
      const admin = await bootstrapAdmin(this.principals, { adminToken: this.config.adminToken, dataDir: this.config.dataDir });
      this.adminPending = undefined;
      admin.notices.forEach((notice) => this.logger.warn(notice));
      if (admin.generatedToken) {
        // Printed once, on the first start; it is also in DATA_DIR/admin-token (mode 0600).
        console.log(`\n  Bootstrap admin token (shown once, also written to ${admin.tokenFile}):\n\n    ${admin.generatedToken}\n`);
      }
    } catch (error) {
      if (!(error instanceof StoreUnavailableError) || this.shuttingDown) throw error;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(10, attempt - 1));
      this.adminPending = `bootstrap admin not created yet: ${error.message}`;
      this.logger.warn(`${this.adminPending}; retrying in ${delay} ms`);
      this.adminRetry = setTimeout(() => void this.ensureAdmin(attempt + 1).catch((e: unknown) => this.logger.error(String(e))), delay);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    clearTimeout(this.adminRetry);
    await this.projector?.stop();
    await this.events.close();
    await this.leases.store.close?.();
    await this.viewStores.close();
  }

  async readiness(): Promise<Readiness> {
    const checks: Readiness['checks'] = {};
    const probe = async (name: string, check: () => Promise<void>) => {
      try {
        await check();
        checks[name] = { ok: true };
      } catch (error) {
        checks[name] = { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    };
    await probe('eventStore', () => this.events.ping());
    await probe('readModels', () => this.views.ping());
    if (this.adminPending) checks.principals = { ok: false, detail: this.adminPending };
    if (this.projector)
      await probe('projections', async () => {
        const status = this.projector!.status();
        const failing = status.projections.filter((p) => p.state !== 'running');
        if (!status.running || failing.length > 0) {
          throw new Error(failing.map((p) => `${p.name} is ${p.state}${p.lastError ? `: ${p.lastError.message}` : ''}`).join('; ') || 'not started');
        }
      });
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }
}
