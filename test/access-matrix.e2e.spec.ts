import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_TOKEN, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Who may call what: every endpoint of the OpenAPI document × every kind of caller, from one table.
 * A denied call is 403 (401 without a valid token) and appends nothing; an allowed one succeeds.
 * Task commands act on an `operations` task, so `operations` is the task's department and `legal` another.
 */
type Caller = 'admin' | 'manager' | 'ownDepartment' | 'otherDepartment' | 'auditor' | 'noToken' | 'revokedToken';
const CALLERS: Caller[] = ['admin', 'manager', 'ownDepartment', 'otherDepartment', 'auditor', 'noToken', 'revokedToken'];

/** Who may: everyone authenticated, only admins, admins and launch managers, those plus the task's department, voters, commenters, those reading reports across departments. */
type Audience = 'public' | 'everyone' | 'admin' | 'managers' | 'taskOwners' | 'voters' | 'auditors' | 'commenters' | 'reporters';
const ALLOWED: Record<Audience, Caller[]> = {
  public: CALLERS,
  everyone: ['admin', 'manager', 'ownDepartment', 'otherDepartment', 'auditor'],
  admin: ['admin'],
  managers: ['admin', 'manager'],
  taskOwners: ['admin', 'manager', 'ownDepartment'],
  voters: ['admin', 'ownDepartment'],
  auditors: ['admin', 'auditor'],
  /** Everyone who reads the launch but auditors, whatever the task's department. */
  commenters: ['admin', 'manager', 'ownDepartment', 'otherDepartment'],
  reporters: ['admin', 'manager', 'auditor'],
};

interface Fixture {
  launchId: string;
  taskId: string;
}
interface Call {
  path: string;
  body?: unknown;
}
interface Row {
  /** As in the OpenAPI document: `POST /v1/launches/{launchId}/cancel`. */
  route: string;
  audience: Audience;
  success: number;
  /** Builds the call; `fresh` gives a new launch for a write that must not see earlier cells' changes. */
  call(s: Setup): Promise<Call>;
}

interface Setup {
  shared: Fixture;
  fresh(state?: 'open' | 'blocked' | 'completed' | 'go'): Promise<Fixture>;
  principalId(): Promise<string>;
  webhookId(): Promise<string>;
  /** Where a new comment on the shared task is read (with the position to wait for). */
  commentPath(): Promise<string>;
  /** A calendar feed the launch manager created: its id and its secret URL's path. */
  calendarFeed(): Promise<{ id: string; path: string }>;
}

const task = (f: Fixture, action = '') => `/v1/launches/${f.launchId}/tasks/${f.taskId}${action}`;

const MATRIX: Row[] = [
  { route: 'GET /health/live', audience: 'public', success: 200, call: async () => ({ path: '/health/live' }) },
  { route: 'GET /health/ready', audience: 'public', success: 200, call: async () => ({ path: '/health/ready' }) },
  { route: 'GET /v1/me', audience: 'everyone', success: 200, call: async () => ({ path: '/v1/me' }) },
  { route: 'GET /v1/templates', audience: 'everyone', success: 200, call: async () => ({ path: '/v1/templates' }) },
  { route: 'GET /v1/departments', audience: 'everyone', success: 200, call: async () => ({ path: '/v1/departments' }) },
  { route: 'GET /v1/departments/{department}/tasks', audience: 'everyone', success: 200, call: async () => ({ path: '/v1/departments/legal/tasks' }) },
  { route: 'GET /v1/launches', audience: 'everyone', success: 200, call: async () => ({ path: '/v1/launches' }) },
  { route: 'GET /v1/launches/{launchId}', audience: 'everyone', success: 200, call: async (s) => ({ path: `/v1/launches/${s.shared.launchId}` }) },
  { route: 'GET /v1/launches/{launchId}/tasks/{taskId}', audience: 'everyone', success: 200, call: async (s) => ({ path: task(s.shared) }) },
  { route: 'GET /v1/tasks', audience: 'everyone', success: 200, call: async () => ({ path: '/v1/tasks?owner=ops@example.com&status=open,blocked' }) },
  {
    route: 'GET /v1/launches/{launchId}/tasks/{taskId}/comments',
    audience: 'everyone',
    success: 200,
    call: async (s) => ({ path: task(s.shared, '/comments') }),
  },
  {
    route: 'GET /v1/launches/{launchId}/tasks/{taskId}/comments/{commentId}',
    audience: 'everyone',
    success: 200,
    call: async (s) => ({ path: await s.commentPath() }),
  },
  {
    route: 'GET /v1/launches/{launchId}/readiness',
    audience: 'everyone',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${s.shared.launchId}/readiness` }),
  },
  {
    route: 'GET /v1/launches/{launchId}/history',
    audience: 'everyone',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${s.shared.launchId}/history` }),
  },
  {
    route: 'GET /v1/launches/{launchId}/verify',
    audience: 'everyone',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${s.shared.launchId}/verify` }),
  },
  {
    route: 'GET /v1/launches/{launchId}/decision-record',
    audience: 'everyone',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${s.shared.launchId}/decision-record` }),
  },
  {
    route: 'GET /v1/launches/{launchId}/stream',
    audience: 'everyone',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${s.shared.launchId}/stream` }),
  },
  {
    route: 'GET /v1/launches/{launchId}/report',
    audience: 'everyone',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${s.shared.launchId}/report` }),
  },
  {
    route: 'GET /v1/reports/departments',
    audience: 'reporters',
    success: 200,
    call: async () => ({ path: '/v1/reports/departments?from=2030-01-01&to=2030-12-31' }),
  },

  { route: 'POST /v1/principals', audience: 'admin', success: 201, call: async () => ({ path: '/v1/principals', body: { name: 'New', role: 'auditor' } }) },
  { route: 'GET /v1/principals', audience: 'admin', success: 200, call: async () => ({ path: '/v1/principals' }) },
  { route: 'GET /v1/principals/{principalId}', audience: 'admin', success: 200, call: async (s) => ({ path: `/v1/principals/${await s.principalId()}` }) },
  { route: 'DELETE /v1/principals/{principalId}', audience: 'admin', success: 204, call: async (s) => ({ path: `/v1/principals/${await s.principalId()}` }) },

  {
    route: 'POST /v1/launches',
    audience: 'managers',
    success: 201,
    call: async () => ({ path: '/v1/launches', body: { name: 'M', product: 'P', targetDate: '2030-03-01', tier: 3 } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/tasks',
    audience: 'managers',
    success: 201,
    call: async (s) => ({ path: `/v1/launches/${(await s.fresh()).launchId}/tasks`, body: { title: 'More', department: 'legal' } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/tasks/{taskId}/complete',
    audience: 'taskOwners',
    success: 200,
    call: async (s) => ({ path: task(await s.fresh(), '/complete'), body: { note: 'done' } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/tasks/{taskId}/block',
    audience: 'taskOwners',
    success: 200,
    call: async (s) => ({ path: task(await s.fresh(), '/block'), body: { reason: 'waiting' } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/tasks/{taskId}/unblock',
    audience: 'taskOwners',
    success: 200,
    call: async (s) => ({ path: task(await s.fresh('blocked'), '/unblock'), body: {} }),
  },
  {
    route: 'POST /v1/launches/{launchId}/tasks/{taskId}/waive',
    audience: 'managers',
    success: 200,
    call: async (s) => ({ path: task(await s.fresh(), '/waive'), body: { reason: 'not needed' } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/tasks/{taskId}/reopen',
    audience: 'managers',
    success: 200,
    call: async (s) => ({ path: task(await s.fresh('completed'), '/reopen'), body: { reason: 'redo' } }),
  },
  {
    route: 'PATCH /v1/launches/{launchId}/tasks/{taskId}',
    audience: 'managers',
    success: 200,
    call: async (s) => ({ path: task(await s.fresh()), body: { title: 'Renamed' } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/tasks/{taskId}/comments',
    audience: 'commenters',
    success: 201,
    call: async (s) => ({ path: task(s.shared, '/comments'), body: { text: 'A word on this' } }),
  },
  {
    route: 'PATCH /v1/launches/{launchId}',
    audience: 'managers',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${(await s.fresh()).launchId}`, body: { name: 'Renamed launch' } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/reschedule',
    audience: 'managers',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${(await s.fresh()).launchId}/reschedule`, body: { targetDate: '2030-04-01', reason: 'later' } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/decision',
    audience: 'managers',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${(await s.fresh()).launchId}/decision`, body: { decision: 'no-go' } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/launched',
    audience: 'managers',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${(await s.fresh('go')).launchId}/launched`, body: {} }),
  },
  {
    route: 'POST /v1/launches/{launchId}/cancel',
    audience: 'managers',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${(await s.fresh()).launchId}/cancel`, body: { reason: 'dropped' } }),
  },
  {
    route: 'POST /v1/launches/{launchId}/votes',
    audience: 'voters',
    success: 200,
    call: async (s) => ({ path: `/v1/launches/${(await s.fresh()).launchId}/votes`, body: { vote: 'go', department: 'operations' } }),
  },

  { route: 'GET /v1/admin/projections', audience: 'admin', success: 200, call: async () => ({ path: '/v1/admin/projections' }) },
  { route: 'POST /v1/admin/projections/rebuild', audience: 'admin', success: 202, call: async () => ({ path: '/v1/admin/projections/rebuild', body: {} }) },

  {
    route: 'POST /v1/webhooks',
    audience: 'admin',
    success: 201,
    call: async () => ({ path: '/v1/webhooks', body: { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars-or-more' } }),
  },
  { route: 'GET /v1/webhooks', audience: 'admin', success: 200, call: async () => ({ path: '/v1/webhooks' }) },
  { route: 'GET /v1/webhooks/{webhookId}', audience: 'admin', success: 200, call: async (s) => ({ path: `/v1/webhooks/${await s.webhookId()}` }) },
  { route: 'DELETE /v1/webhooks/{webhookId}', audience: 'admin', success: 204, call: async (s) => ({ path: `/v1/webhooks/${await s.webhookId()}` }) },
  {
    route: 'POST /v1/webhooks/{webhookId}/replay',
    audience: 'admin',
    success: 202,
    call: async (s) => ({ path: `/v1/webhooks/${await s.webhookId()}/replay`, body: { fromPosition: 0 } }),
  },
  {
    route: 'GET /v1/webhooks/{webhookId}/deliveries',
    audience: 'admin',
    success: 200,
    call: async (s) => ({ path: `/v1/webhooks/${await s.webhookId()}/deliveries` }),
  },

  {
    route: 'PUT /v1/departments/{department}/settings',
    audience: 'admin',
    success: 200,
    call: async () => ({ path: '/v1/departments/legal/settings', body: { email: 'legal@example.com' } }),
  },
  { route: 'GET /v1/departments/{department}/settings', audience: 'admin', success: 200, call: async () => ({ path: '/v1/departments/legal/settings' }) },
  { route: 'POST /v1/admin/digests/run', audience: 'admin', success: 200, call: async () => ({ path: '/v1/admin/digests/run', body: {} }) },
  {
    route: 'POST /v1/calendar-feeds',
    audience: 'everyone',
    success: 201,
    call: async () => ({ path: '/v1/calendar-feeds', body: { department: 'operations' } }),
  },
  { route: 'GET /v1/calendar-feeds', audience: 'everyone', success: 200, call: async () => ({ path: '/v1/calendar-feeds' }) },
  // The manager's feed: its creator and an admin may revoke it, anyone else is refused.
  {
    route: 'DELETE /v1/calendar-feeds/{feedId}',
    audience: 'managers',
    success: 204,
    call: async (s) => ({ path: `/v1/calendar-feeds/${(await s.calendarFeed()).id}` }),
  },
  // The URL is the credential: a calendar application sends no token (one it sends anyway is ignored).
  { route: 'GET /v1/calendar-feeds/{feedId}/{file}', audience: 'public', success: 200, call: async (s) => ({ path: (await s.calendarFeed()).path }) },

  // Last: by now a signed head covers the shared launch's events (a head is signed within a second).
  { route: 'GET /v1/ledger/key', audience: 'auditors', success: 200, call: async () => ({ path: '/v1/ledger/key' }) },
  { route: 'GET /v1/ledger/head', audience: 'auditors', success: 200, call: async () => ({ path: '/v1/ledger/head' }) },
  { route: 'GET /v1/ledger/proofs/consistency', audience: 'auditors', success: 200, call: async () => ({ path: '/v1/ledger/proofs/consistency?from=0&to=1' }) },
  {
    route: 'GET /v1/ledger/proofs/inclusion',
    audience: 'auditors',
    success: 200,
    call: async () => ({ path: '/v1/ledger/proofs/inclusion?leafIndex=0&treeSize=1' }),
  },
  { route: 'GET /v1/ledger/export', audience: 'auditors', success: 200, call: async () => ({ path: '/v1/ledger/export' }) },
];

/** Routes outside the matrix on purpose: the API documentation itself. */
const DOCUMENTATION = /^GET \/docs/;

describe('access matrix: every endpoint × every kind of caller', () => {
  let t: TestApp;
  let baseUrl: string;
  let documented: Set<string>;
  const tokens = {} as Record<Caller, string | undefined>;
  let setup: Setup;

  const send = async (method: string, token: string | undefined, call: Call) => {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}${call.path}`, {
      method,
      headers: { ...(token && { Authorization: `Bearer ${token}` }), ...(call.body !== undefined && { 'Content-Type': 'application/json' }) },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: controller.signal,
    });
    const contentType = response.headers.get('content-type') ?? '';
    // An event stream never ends: its status and headers are the answer.
    const body = contentType.startsWith('text/event-stream') ? (controller.abort(), undefined) : await response.text();
    // An ndjson download (the ledger export) is many JSON documents, a calendar feed is iCalendar: kept as text.
    const text = contentType.includes('ndjson') || contentType.startsWith('text/calendar');
    return { status: response.status, contentType, body: body ? (text ? body : JSON.parse(body)) : undefined };
  };
  const asManager = async (method: string, call: Call, expected: number) => {
    const response = await send(method, tokens.manager, call);
    if (response.status !== expected) throw new Error(`${method} ${call.path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  beforeAll(async () => {
    // Many cells are 401s from one address: the failed-authentication limit is not what this suite is about.
    t = await startTestApp({ RATE_LIMIT_FAILED_AUTH: '100000' }, { webhooks: { allowPrivate: true } }); // WEBHOOK_ALLOW_PRIVATE: its webhooks point to 127.0.0.1
    await t.app.listen(0, '127.0.0.1');
    baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    tokens.admin = ADMIN_TOKEN;
    tokens.manager = await t.principal('launch-manager');
    tokens.ownDepartment = await t.principal('department', 'operations');
    tokens.otherDepartment = await t.principal('department', 'legal');
    tokens.auditor = await t.principal('auditor');
    tokens.noToken = undefined;
    tokens.revokedToken = await t.principal('launch-manager', undefined, 'soon revoked');
    const revoked = (await send('GET', tokens.revokedToken, { path: '/v1/me' })).body as { id: string };
    expect((await send('DELETE', ADMIN_TOKEN, { path: `/v1/principals/${revoked.id}` })).status).toBe(204);

    const fresh: Setup['fresh'] = async (state = 'open') => {
      const created = (await asManager('POST', { path: '/v1/launches', body: { name: 'Matrix', product: 'P', targetDate: '2030-03-01', tier: 3 } }, 201)) as {
        launchId: string;
      };
      const launchId = created.launchId;
      const added = (await asManager(
        'POST',
        { path: `/v1/launches/${launchId}/tasks`, body: { title: 'Ops check', department: 'operations', required: true } },
        201,
      )) as { taskId: string };
      const fixture = { launchId, taskId: added.taskId };
      if (state === 'blocked') await asManager('POST', { path: task(fixture, '/block'), body: { reason: 'setup' } }, 200);
      if (state === 'completed') await asManager('POST', { path: task(fixture, '/complete'), body: {} }, 200);
      if (state === 'go') {
        const { tasks } = await waitForLaunch(launchId);
        for (const each of tasks) await asManager('POST', { path: `/v1/launches/${launchId}/tasks/${each.taskId}/waive`, body: { reason: 'setup' } }, 200);
        await asManager('POST', { path: `/v1/launches/${launchId}/decision`, body: { decision: 'go' } }, 200);
      }
      return fixture;
    };
    const waitForLaunch = async (launchId: string) => {
      const position = await t.headPosition();
      return (await asManager('GET', { path: `/v1/launches/${launchId}?minPosition=${position}` }, 200)) as { tasks: Array<{ taskId: string }> };
    };
    const shared = await fresh();
    setup = {
      shared,
      fresh,
      commentPath: async () => {
        const answer = (await asManager('POST', { path: task(shared, '/comments'), body: { text: 'To be read' } }, 201)) as {
          commentId: string;
          position: number;
        };
        return `${task(shared, '/comments')}/${answer.commentId}?minPosition=${answer.position}`;
      },
      principalId: async () =>
        ((await send('POST', ADMIN_TOKEN, { path: '/v1/principals', body: { name: 'Target', role: 'auditor' } })).body as { id: string }).id,
      webhookId: async () =>
        (
          (await send('POST', ADMIN_TOKEN, { path: '/v1/webhooks', body: { url: 'http://127.0.0.1:9/hook', secret: 'a-secret-of-16-chars-or-more' } }))
            .body as { id: string }
        ).id,
      calendarFeed: async () => {
        const feed = (await asManager('POST', { path: '/v1/calendar-feeds', body: { launchId: setup.shared.launchId } }, 201)) as { id: string; url: string };
        return { id: feed.id, path: new URL(feed.url).pathname };
      },
    };
    const openapi = (await send('GET', undefined, { path: '/docs-json' })).body as { paths: Record<string, Record<string, unknown>> };
    documented = new Set(
      Object.entries(openapi.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)),
    );
  });
  afterAll(() => t.close());

  it('covers every documented endpoint', () => {
    const covered = new Set(MATRIX.map((row) => row.route));
    expect([...documented].filter((route) => !covered.has(route) && !DOCUMENTATION.test(route))).toEqual([]);
  });

  const cells = MATRIX.flatMap((row) => CALLERS.map((caller) => ({ row, caller })));
  it.each(cells.map(({ row, caller }) => [row.route, caller, row]))('%s as %s', async (route, caller, row) => {
    const r = row as Row;
    const c = caller as Caller;
    const call = await r.call(setup);
    const before = await t.headPosition();
    const method = r.route.split(' ')[0];
    if (!documented.has(r.route)) {
      // A row for an endpoint this build does not serve: it must really be absent (the coverage test guards the other way).
      expect((await send(method, ADMIN_TOKEN, call)).status).toBe(404);
      return;
    }
    const response = await send(method, tokens[c], call);
    if (ALLOWED[r.audience].includes(c)) {
      expect({ route, caller, status: response.status, body: response.body }).toEqual({
        route,
        caller,
        status: r.success,
        body: r.success === 204 || response.contentType.startsWith('text/event-stream') ? undefined : expect.anything(),
      });
    } else {
      const expected = c === 'noToken' || c === 'revokedToken' ? 401 : 403;
      expect({ route, caller, status: response.status }).toEqual({ route, caller, status: expected });
      expect(response.contentType).toMatch(/^application\/problem\+json/);
      expect(await t.headPosition()).toBe(before);
    }
  });
});
