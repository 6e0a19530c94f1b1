import { DEPARTMENTS, type Department, type TaskKind } from '#launch';
import type { ChaosClient, Exchange } from './chaos-client.js';
import type { SeededRandom } from './seeded-random.js';

/** A command the server acknowledged (2xx): it must be in the store, at the revision and position it answered. */
export interface Acknowledged {
  command: 'create' | 'complete' | 'block' | 'unblock' | 'add-task';
  launchId: string;
  taskId?: string;
  revision: number;
  position: number;
  /** Event types the answer says the command recorded. */
  events: string[];
  idempotencyKey?: string;
}

interface KnownTask {
  taskId: string;
  department: Department;
  kind: TaskKind;
}

interface KnownLaunch {
  launchId: string;
  position: number;
  tasks?: KnownTask[];
}

export interface Tokens {
  manager: string;
  departments: Record<Department, string>;
}

const DETAILS: Record<TaskKind, Record<string, unknown> | undefined> = {
  messaging: { documentUrl: 'https://docs.example.com/messaging', version: 'v1' },
  'sales-training': { sessionDate: '2031-01-02', repsTrained: 10, repsTotal: 12 },
  pr: { announceAt: '2031-01-15T09:00:00Z', outlets: ['Example Times'] },
  pricing: { currency: 'EUR', listPrice: 49 },
  'support-training': { sessionDate: '2031-01-03', agentsTrained: 8 },
  docs: { url: 'https://docs.example.com/product' },
  release: { version: '1.0.0' },
  generic: undefined,
};

/**
 * Random commands against the server: creations, completions, blocks, unblocks, added tasks, and
 * retries of earlier commands with their Idempotency-Key. Every answer is kept in a ledger.
 */
export class Workload {
  readonly acknowledged: Acknowledged[] = [];
  /** Unexpected answers (5xx other than 503, or answers that break the contract). */
  readonly violations: string[] = [];
  readonly counts = { sent: 0, lost: 0, acknowledged: 0, refused: 0, unavailable: 0, retries: 0 };
  private readonly launches: KnownLaunch[] = [];
  /** Keyed commands and their first answer (undefined while none has arrived). */
  private readonly keyed = new Map<string, { request: Omit<Exchange, 'lost' | 'status' | 'answer'>; command: Acknowledged['command']; taskId?: string; first?: Exchange }>();
  private keySeq = 0;

  constructor(
    private readonly client: ChaosClient,
    private readonly random: SeededRandom,
    private readonly tokens: Tokens,
  ) {}

  /** One random command (or a retry of an earlier keyed one). */
  async step(): Promise<void> {
    const r = this.random.next();
    if (this.launches.length === 0 || r < 0.12) return this.create();
    if (r < 0.25 && this.keyed.size > 0) return this.retry();
    const launch = this.random.pick(this.launches);
    if (!launch.tasks) return this.loadTasks(launch);
    if (r < 0.3) return this.addTask(launch);
    const task = this.random.pick(launch.tasks);
    if (r < 0.75) return this.taskCommand(launch, task, 'complete');
    return this.taskCommand(launch, task, this.random.chance(0.5) ? 'block' : 'unblock');
  }

  /** Sends every keyed command whose answer was lost once more (after the last restart). */
  async retryLost(): Promise<void> {
    for (const [key, entry] of this.keyed) {
      if (!entry.first) await this.sendKeyed(key);
    }
  }

  get keyedCount(): number {
    return this.keyed.size;
  }

  private async create(): Promise<void> {
    const body = { name: `Chaos ${this.random.int(1, 1e6)}`, product: 'Chaos', targetDate: '2031-01-15', tier: this.random.pick([1, 2, 3]) };
    await this.command('create', { method: 'POST', path: '/v1/launches', token: this.tokens.manager, body });
  }

  private async addTask(launch: KnownLaunch): Promise<void> {
    const department = this.random.pick(DEPARTMENTS.map((d) => d.key));
    const body = { title: `Extra ${this.random.int(1, 1e6)}`, department };
    await this.command('add-task', { method: 'POST', path: `/v1/launches/${launch.launchId}/tasks`, token: this.tokens.manager, body });
  }

  private async taskCommand(launch: KnownLaunch, task: KnownTask, command: 'complete' | 'block' | 'unblock'): Promise<void> {
    const token = this.random.chance(0.7) ? this.tokens.departments[task.department] : this.tokens.manager;
    const body =
      command === 'complete'
        ? { note: 'done under chaos', ...(DETAILS[task.kind] && { details: DETAILS[task.kind] }) }
        : command === 'block'
          ? { reason: 'waiting under chaos' }
          : {};
    await this.command(command, { method: 'POST', path: `/v1/launches/${launch.launchId}/tasks/${task.taskId}/${command}`, token, body }, task.taskId);
  }

  private async loadTasks(launch: KnownLaunch): Promise<void> {
    const exchange = await this.client.send({ method: 'GET', path: `/v1/launches/${launch.launchId}?minPosition=${launch.position}`, token: this.tokens.manager });
    if (exchange.status === 200) {
      const tasks = (exchange.answer as { tasks: KnownTask[] }).tasks;
      launch.tasks = tasks.map(({ taskId, department, kind }) => ({ taskId, department, kind }));
    }
  }

  private async command(command: Acknowledged['command'], request: Omit<Exchange, 'lost' | 'status' | 'answer'>, taskId?: string): Promise<void> {
    if (this.random.chance(0.5)) {
      const key = `chaos-${this.random.seed}-${++this.keySeq}`;
      this.keyed.set(key, { request: { ...request, idempotencyKey: key }, command, taskId });
      return this.sendKeyed(key);
    }
    this.record(command, await this.client.send(request), taskId);
  }

  private async retry(): Promise<void> {
    const keys = [...this.keyed.keys()];
    this.counts.retries += 1;
    await this.sendKeyed(this.random.pick(keys));
  }

  private async sendKeyed(key: string): Promise<void> {
    const entry = this.keyed.get(key)!;
    const exchange = await this.client.send(entry.request);
    this.record(entry.command, exchange, entry.taskId);
    if (exchange.lost || exchange.status === 503) return;
    if (!entry.first) {
      entry.first = exchange;
      return;
    }
    if (exchange.status !== entry.first.status || JSON.stringify(exchange.answer) !== JSON.stringify(entry.first.answer)) {
      this.violations.push(
        `Idempotency-Key ${key}: first answer ${entry.first.status} ${JSON.stringify(entry.first.answer)}, a retry got ${exchange.status} ${JSON.stringify(exchange.answer)}`,
      );
    }
  }

  private record(command: Acknowledged['command'], exchange: Exchange, taskId?: string): void {
    this.counts.sent += 1;
    if (exchange.lost) {
      this.counts.lost += 1;
      return;
    }
    const status = exchange.status!;
    if (status === 503) {
      this.counts.unavailable += 1;
      return;
    }
    if (status >= 500) {
      this.violations.push(`${exchange.method} ${exchange.path} answered ${status}: ${JSON.stringify(exchange.answer)}`);
      return;
    }
    if (status >= 400) {
      this.counts.refused += 1;
      return;
    }
    const answer = exchange.answer as { launchId: string; revision: number; position: number; events: string[] };
    this.counts.acknowledged += 1;
    this.acknowledged.push({
      command,
      launchId: answer.launchId,
      ...(taskId && { taskId }),
      revision: answer.revision,
      position: answer.position,
      events: answer.events,
      ...(exchange.idempotencyKey && { idempotencyKey: exchange.idempotencyKey }),
    });
    if (command === 'create' && !this.launches.some((l) => l.launchId === answer.launchId)) {
      this.launches.push({ launchId: answer.launchId, position: answer.position });
    }
    if (command === 'add-task') {
      const launch = this.launches.find((l) => l.launchId === answer.launchId);
      const body = exchange.body as { department: Department };
      const added = (answer as unknown as { taskId?: string }).taskId;
      if (launch?.tasks && added) launch.tasks.push({ taskId: added, department: body.department, kind: 'generic' });
    }
  }
}
