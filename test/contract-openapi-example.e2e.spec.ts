import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createApiProcess, type ApiProcess } from './support/api-process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ADMIN = 'lc_example-admin-token-0123456789abcdefghijklmnopqrstuvw';

/** examples/department-system.ts, written against the generated client, runs against `npm start`'s server. */
describe('the department-system example', () => {
  let dataDir: string;
  let server: ApiProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'launch-control-example-'));
    server = await createApiProcess({ env: { DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, RATE_LIMIT: '0', WEBHOOK_DISPATCH: 'off' } });
    await server.start();
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a launch, reads the sales inbox, completes the sales training with its details and reads readiness', async () => {
    const manager = await server.call('POST', '/v1/principals', { token: ADMIN, body: { name: 'Launch manager', role: 'launch-manager' } });
    const sales = await server.call('POST', '/v1/principals', { token: ADMIN, body: { name: 'Sales system', role: 'department', department: 'sales' } });
    expect([manager.status, sales.status]).toEqual([201, 201]);

    const startedAt = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', './clients/register-typescript.mjs', 'examples/department-system.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', LAUNCH_CONTROL_URL: server.url, MANAGER_TOKEN: manager.body.token, SALES_TOKEN: sales.body.token },
      timeout: 60_000,
    });

    const launchId = /created launch ([0-9a-f-]{36})/.exec(stdout)?.[1];
    expect(stdout).toMatch(/sales owes ".+" due \d{4}-\d{2}-\d{2}/);
    expect(stdout).toMatch(/completed: SalesTrained at revision \d+/);
    const launch = await server.call('GET', `/v1/launches/${launchId}`, { token: ADMIN });
    // Dates relative to the day it runs (a fixed target date would be refused once past); the run may span midnight.
    const day = (at: number, days = 0) => new Date(at + days * 86_400_000).toISOString().slice(0, 10);
    const finishedAt = Date.now();
    expect([day(startedAt, 90), day(finishedAt, 90)]).toContain(launch.body.targetDate);
    const training = launch.body.tasks.find((task: { kind: string }) => task.kind === 'sales-training');
    expect(training).toEqual(
      expect.objectContaining({
        status: 'completed',
        details: { sessionDate: expect.stringMatching(`^(${day(startedAt)}|${day(finishedAt)})$`), repsTrained: 40, repsTotal: 42 },
        evidenceUrl: 'https://lms.example.com/sessions/4711',
      }),
    );
    const salesReadiness = launch.body.readiness.departments.find((d: { department: string }) => d.department === 'sales');
    expect(stdout).toContain(`sales ${salesReadiness.percent}% ${salesReadiness.status}`);
  }, 120_000);
});
