import type { Page, Route } from 'playwright-core';

/**
 * Owners, comments and launch editing as docs/api.md describes them ("Owners", "Comments", PATCH
 * /v1/launches/{id}), answered in the browser for a server that does not have them yet. Installed
 * only when the real server lacks them (its tasks carry no `owner`), so the same test runs against
 * the real API wherever it has them.
 */
export async function standInForDailyWork(page: Page, authorName: string): Promise<void> {
  const owners = new Map<string, { name: string; email: string } | null>();
  const comments = new Map<string, Array<Record<string, unknown>>>();
  const edits: Record<string, string> = {};
  let serverHasThem = false;
  const answer = (route: Route, status: number, json: unknown) =>
    route.fulfill({ status, json, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

  await page.route(/\/v1\/launches\/[0-9a-f-]{36}(\/tasks\/[0-9a-f-]{36}(\/comments)?)?(\?.*)?$/, async (route) => {
    if (serverHasThem) return route.continue();
    const request = route.request();
    const url = new URL(request.url());
    const [, , , launchId, , taskId, comment] = url.pathname.split('/');
    const body = request.postDataJSON() as Record<string, unknown> | null;
    const done = (events: string[]) => ({ launchId, revision: 0, position: 0, ...(taskId && { taskId }), events });
    if (request.method() === 'GET' && !taskId) {
      const response = await route.fetch();
      const launch = await response.json();
      serverHasThem = launch.tasks?.some((task: Record<string, unknown>) => 'owner' in task) ?? false;
      if (serverHasThem) return route.fulfill({ response, json: launch });
      for (const task of launch.tasks ?? []) task.owner = owners.get(task.taskId) ?? null;
      return route.fulfill({ response, json: { ...launch, ...edits } });
    }
    if (request.method() === 'PATCH' && taskId && body && 'owner' in body) {
      const owner = body.owner as { name: string; email: string } | null;
      if (owner && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(owner.email))
        return answer(route, 400, {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'invalid input',
          errors: [{ field: 'owner.email', message: 'must be an e-mail address' }],
        });
      owners.set(taskId, owner);
      return answer(route, 200, done([owner ? 'TaskAssigned' : 'TaskUnassigned']));
    }
    if (comment && request.method() === 'GET') return answer(route, 200, comments.get(taskId!) ?? []);
    if (comment && request.method() === 'POST') {
      const text = String(body?.text ?? '').trim();
      if (!text)
        return answer(route, 400, {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'invalid input',
          errors: [{ field: 'text', message: 'must not be empty' }],
        });
      const list = comments.get(taskId!) ?? [];
      list.push({
        commentId: `c-${list.length}`,
        launchId,
        taskId,
        text,
        author: { id: 'a', name: authorName, role: 'launch-manager' },
        at: new Date().toISOString(),
        revision: 0,
      });
      comments.set(taskId!, list);
      return answer(route, 201, { ...done(['TaskCommented']), ...list.at(-1) });
    }
    if (request.method() === 'PATCH' && !taskId && body) {
      Object.assign(edits, body);
      return answer(route, 200, done(['LaunchDetailsEdited']));
    }
    return route.continue();
  });
}
