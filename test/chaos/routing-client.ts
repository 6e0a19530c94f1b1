import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosClient, type Exchange, type Request } from './chaos-client.js';
import type { SeededRandom } from './seeded-random.js';
import type { ApiProcess } from '../support/api-process.js';

/** What the client needs of a process: where it is and whether it serves now. */
export type RoutedProcess = Pick<ApiProcess, 'url' | 'serving'>;

/** How long a repeat waits for a process other than its previous try to serve (the others may all be restarting). */
const WAIT_FOR_ANOTHER_MS = 20_000;

/**
 * A client over several API processes on one DATA_DIR: each request goes to a random serving
 * process, and every repeat of an Idempotency-Key goes to a different process than the key's
 * previous try, so a retry never finds its first answer in the memory of the process that gave it.
 */
export class RoutingClient extends ChaosClient {
  private readonly lastTry = new Map<string, string>();
  readonly counts = { sent: 0, keyedRepeatsElsewhere: 0 };

  constructor(
    private readonly processes: RoutedProcess[],
    private readonly random: SeededRandom,
  ) {
    super(() => processes[0].url);
  }

  override async send(request: Request, timeoutMs = 10_000, baseUrl?: string): Promise<Exchange> {
    this.counts.sent += 1;
    return super.send(request, timeoutMs, baseUrl ?? (await this.route(request.idempotencyKey)));
  }

  private async route(key: string | undefined): Promise<string> {
    const previous = key === undefined ? undefined : this.lastTry.get(key);
    const deadline = Date.now() + WAIT_FOR_ANOTHER_MS;
    let candidates = this.servingExcept(previous);
    while (candidates.length === 0 && Date.now() < deadline) {
      await sleep(50);
      candidates = this.servingExcept(previous);
    }
    // Nobody else came up in time: any other process (the try may be refused, and is then retried later).
    if (candidates.length === 0) candidates = this.processes.filter((p) => p.url !== previous);
    const target = this.random.pick(candidates.length > 0 ? candidates : this.processes).url;
    if (key !== undefined) {
      if (previous !== undefined && previous !== target) this.counts.keyedRepeatsElsewhere += 1;
      this.lastTry.set(key, target);
    }
    return target;
  }

  private servingExcept(url: string | undefined): RoutedProcess[] {
    return this.processes.filter((p) => p.serving && p.url !== url);
  }
}
