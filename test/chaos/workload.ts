import { DEPARTMENTS, type Department, type TaskKind } from '#launch';
import type { ChaosClient, Exchange, Request } from './chaos-client.js';
import type { SeededRandom } from './seeded-random.js';

/** A command the server acknowledged (2xx): it must be in the store, at the revision and position it answered. */
export interface Acknowledged {
  command: 'create' | 'complete' | 'block' | 'unblock' | 'add-task' | 'waive' | 'reopen' | 'vote' | 'decision';
  launchId: string;
  /** The task the command is about (for add-task: the taskId it answered). */
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

export interface WorkloadOptions {
  /** Chance that a new keyed command is sent twice at once (the client may route the two to different processes). */
  twinChance?: number;
  /** Send every keyed command once more right after its first try (besides the random retries later). */
  retryEachKeyed?: boolean;
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
  private readonly keyed = new Map<string, { request: Request; command: Acknowledged['command']; taskId?: string; first?: Exchange; originals: number }>();
  private keySeq = 0;

  constructor(
    private readonly client: ChaosClient,
    private readonly random: SeededRandom,
    private readonly tokens: Tokens,
    private readonly options: WorkloadOptions = {},
  ) {}

  /** One random command (or a retry of an earlier keyed one). */
  async step(): Promise<void> {
    const r = this.random.next();
    if (this.launches.length === 0 || r < 0.1) return this.create();
    if (r < 0.22 && this.keyed.size > 0) return this.retry();
    const launch = this.random.pick(this.launches);
    if (!launch.tasks) return this.loadTasks(launch);
    if (r < 0.28) return this.addTask(launch);
    const task = this.random.pick(launch.tasks);
    if (r < 0.6) return this.taskCommand(launch, task, 'complete');
    if (r < 0.78) return this.taskCommand(launch, task, this.random.chance(0.5) ? 'block' : 'unblock');
    if (r < 0.87) return this.managerTaskCommand(launch, task, this.random.chance(0.5) ? 'waive' : 'reopen');
    if (r < 0.94) return this.vote(launch, task.department);
    return this.decide(launch);
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

  private async managerTaskCommand(launch: KnownLaunch, task: KnownTask, command: 'waive' | 'reopen'): Promise<void> {
    const body = { reason: `${command} under chaos` };
    await this.command(
      command,
      { method: 'POST', path: `/v1/launches/${launch.launchId}/tasks/${task.taskId}/${command}`, token: this.tokens.manager, body },
      task.taskId,
    );
  }

  private async vote(launch: KnownLaunch, department: Department): Promise<void> {
    const body = { vote: this.random.pick(['go', 'no-go']), note: 'voted under chaos' };
    await this.command('vote', { method: 'POST', path: `/v1/launches/${launch.launchId}/votes`, token: this.tokens.departments[department], body });
  }

  private async decide(launch: KnownLaunch): Promise<void> {
    const body = { decision: this.random.pick(['go', 'no-go']), note: 'decided under chaos' };
    await this.command('decision', { method: 'POST', path: `/v1/launches/${launch.launchId}/decision`, token: this.tokens.manager, body });
  }

  private async loadTasks(launch: KnownLaunch): Promise<void> {
    const exchange = await this.client.send({
      method: 'GET',
      path: `/v1/launches/${launch.launchId}?minPosition=${launch.position}`,
      token: this.tokens.manager,
    });
    if (exchange.status === 200) {
      const tasks = (exchange.answer as { tasks: KnownTask[] }).tasks;
      launch.tasks = tasks.map(({ taskId, department, kind }) => ({ taskId, department, kind }));
    }
  }

  private async command(command: Acknowledged['command'], request: Request, taskId?: string): Promise<void> {
    if (this.random.chance(0.5)) {
      const key = `chaos-${this.random.seed}-${++this.keySeq}`;
      this.keyed.set(key, { request: { ...request, idempotencyKey: key }, command, taskId, originals: 0 });
      if (this.random.chance(this.options.twinChance ?? 0)) await Promise.all([this.sendKeyed(key), this.sendKeyed(key)]);
      else await this.sendKeyed(key);
      if (this.options.retryEachKeyed) await this.sendKeyed(key);
      return;
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
    // 5xx answers are not kept (a retry runs again), so only 2xx and 4xx must repeat.
    if (exchange.lost || exchange.status! >= 500) return;
    // Of the 2xx answers to one key, one ran the command; every other says it is a replay.
    if (exchange.status! < 300 && exchange.headers?.replayed !== 'true' && ++entry.originals === 2) {
      this.violations.push(
        `Idempotency-Key ${key} (${entry.request.method} ${entry.request.path}): ${exchange.baseUrl} answered ${exchange.status} without Idempotent-Replayed after another 2xx answer`,
      );
    }
    if (!entry.first) {
      entry.first = exchange;
      return;
    }
    if (answerOf(exchange) !== answerOf(entry.first)) {
      this.violations.push(
        `Idempotency-Key ${key} (${entry.request.method} ${entry.request.path}): ${entry.first.baseUrl} answered ${answerOf(entry.first)}, then ${exchange.baseUrl} answered ${answerOf(exchange)}`,
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
    const answer = exchange.answer as { launchId: string; revision: number; position: number; events: string[]; taskId?: string };
    this.counts.acknowledged += 1;
    if (command === 'add-task' && !answer.taskId) {
      this.violations.push(`${exchange.method} ${exchange.path} through ${exchange.baseUrl} answered ${status} without a taskId: ${JSON.stringify(answer)}`);
    }
    const subject = command === 'add-task' ? answer.taskId : taskId;
    this.acknowledged.push({
      command,
      launchId: answer.launchId,
      ...(subject && { taskId: subject }),
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
      const added = answer.taskId;
      if (launch?.tasks && added && !launch.tasks.some((t) => t.taskId === added))
        launch.tasks.push({ taskId: added, department: body.department, kind: 'generic' });
    }
  }
}

/** What a client sees of an answer: status, the headers a retry must repeat, and the body. */
function answerOf(exchange: Exchange): string {
  const { etag, location } = exchange.headers ?? {};
  return `${exchange.status} ${JSON.stringify({ ...(etag && { etag }), ...(location && { location }) })} ${JSON.stringify(exchange.answer)}`;
}
