import { ChaosClient, type Exchange, type Request } from './chaos-client.js';
import type { SeededRandom } from './seeded-random.js';
import type { ServerProcess } from './server-process.js';

/**
 * A client over several API processes on one DATA_DIR: each request goes to a random serving
 * process, and every repeat of an Idempotency-Key goes to a different process than the key's
 * previous try, so a retry never finds its first answer in the memory of the process that gave it.
 */
export class RoutingClient extends ChaosClient {
  private readonly lastTry = new Map<string, string>();
  readonly counts = { sent: 0, keyedRepeatsElsewhere: 0 };

  constructor(
    private readonly processes: ServerProcess[],
    private readonly random: SeededRandom,
  ) {
    super(() => processes[0].baseUrl);
  }

  override send(request: Request, timeoutMs = 10_000, baseUrl?: string): Promise<Exchange> {
    this.counts.sent += 1;
    return super.send(request, timeoutMs, baseUrl ?? this.route(request.idempotencyKey));
  }

  private route(key: string | undefined): string {
    const serving = this.processes.filter((p) => p.serving);
    const candidates = serving.length > 0 ? serving : this.processes;
    const previous = key === undefined ? undefined : this.lastTry.get(key);
    const elsewhere = candidates.filter((p) => p.baseUrl !== previous);
    const target = this.random.pick(elsewhere.length > 0 ? elsewhere : candidates).baseUrl;
    if (key !== undefined) {
      if (previous !== undefined && previous !== target) this.counts.keyedRepeatsElsewhere += 1;
      this.lastTry.set(key, target);
    }
    return target;
  }
}
