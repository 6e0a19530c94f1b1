import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '#event-store';
import type { Projector, ReadModelStore } from '#read-models';
import { bootstrapAdmin } from '../auth/bootstrap-admin.js';
import { PRINCIPAL_STORE, type PrincipalStore } from '../auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE, READ_MODEL_STORE } from './injection-tokens.js';
import { PROJECTOR, VIEW_STORES } from './store-tokens.js';
import type { ViewStores } from './view-stores.factory.js';

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Starts what the stores need (the admin, the projections), stops them in order, and says whether all answer. */
@Injectable()
export class StoresLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Stores');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly views: ReadModelStore,
    @Inject(PRINCIPAL_STORE) private readonly principals: PrincipalStore,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
    @Inject(VIEW_STORES) private readonly viewStores: ViewStores,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = await bootstrapAdmin(this.principals, { adminToken: this.config.adminToken, dataDir: this.config.dataDir });
    if (admin.generatedToken) {
      // Printed once, on the first start; it is also in DATA_DIR/admin-token (mode 0600).
      console.log(`\n  Bootstrap admin token (shown once, also written to ${admin.tokenFile}):\n\n    ${admin.generatedToken}\n`);
    }
    await this.projector?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector?.stop();
    await this.events.close();
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
    if (this.projector) await probe('projections', async () => {
      const status = this.projector!.status();
      const failing = status.projections.filter((p) => p.state !== 'running');
      if (!status.running || failing.length > 0) {
        throw new Error(failing.map((p) => `${p.name} is ${p.state}${p.lastError ? `: ${p.lastError.message}` : ''}`).join('; ') || 'not started');
      }
    });
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }
}
