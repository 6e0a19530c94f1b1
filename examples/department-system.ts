/**
 * A department's own system talking to Launch Control through the generated client: create a launch
 * (as a launch manager), read the sales inbox, complete the sales training with its details, read
 * readiness. Run it against a started server:
 *
 *   LAUNCH_CONTROL_URL=http://localhost:3000 MANAGER_TOKEN=… SALES_TOKEN=… \
 *     node --import ./clients/register-typescript.mjs examples/department-system.ts
 */
import { createLaunchControlClient, type Schemas } from '../clients/typescript/index.js';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const baseUrl = process.env.LAUNCH_CONTROL_URL ?? 'http://localhost:3000';
const manager = createLaunchControlClient(baseUrl, setting('MANAGER_TOKEN'));
const sales = createLaunchControlClient(baseUrl, setting('SALES_TOKEN'));

/** A refusal: the problem document (RFC 9457), or nothing for an answer without a body (408). */
const problem = (what: string, error: Schemas['Problem'] | undefined) =>
  new Error(error ? `${what}: ${error.status} ${error.title}: ${error.detail}` : `${what}: refused without a problem document`);

/** A calendar date `days` from today (UTC), as the API writes dates: a target date in the past is refused. */
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// 1. A launch manager creates a tier-2 launch 90 days out; its checklist comes from the tier's template.
const created = await manager.POST('/v1/launches', {
  params: { header: { 'Idempotency-Key': `aurora-ga-${Date.now()}` } },
  body: { name: 'Aurora GA', product: 'Aurora', targetDate: daysFromToday(90), tier: 2 },
});
if (!created.data) throw problem('create the launch', created.error);
const { launchId, position } = created.data;
console.log(`created launch ${launchId} at revision ${created.data.revision} (ETag ${created.response.headers.get('ETag')})`);

// 2. The sales system reads what sales owes, waiting until the views include the creation.
const inbox = await sales.GET('/v1/departments/{department}/tasks', {
  params: { path: { department: 'sales' }, query: { status: 'open', minPosition: position } },
});
if (!inbox.data) throw problem('read the sales inbox', inbox.error);
const training = inbox.data.find((item) => item.launchId === launchId && item.kind === 'sales-training');
if (!training) throw new Error('the launch has no sales-training task for sales');
console.log(`sales owes "${training.title}" due ${training.dueDate}`);

// Sales training depends on the messaging sign-off in the tier 2 template: the manager approves it first.
const launch = await manager.GET('/v1/launches/{launchId}', { params: { path: { launchId }, query: { minPosition: position } } });
if (!launch.data) throw problem('read the launch', launch.error);
const messaging = launch.data.tasks.find((task) => task.kind === 'messaging');
if (messaging && messaging.status !== 'completed') {
  const approved = await manager.POST('/v1/launches/{launchId}/tasks/{taskId}/complete', {
    params: { path: { launchId, taskId: messaging.taskId } },
    body: { details: { documentUrl: 'https://docs.example.com/aurora/messaging', version: '1.0' } },
  });
  if (!approved.data) throw problem('approve the messaging', approved.error);
}

// 3. Sales completes its training with the evidence its kind requires (typed: SalesTrainingDetails).
const details: Schemas['SalesTrainingDetails'] = { sessionDate: daysFromToday(0), repsTrained: 40, repsTotal: 42 };
const completed = await sales.POST('/v1/launches/{launchId}/tasks/{taskId}/complete', {
  params: { path: { launchId, taskId: training.taskId } },
  body: { note: 'All reps but two attended', evidenceUrl: 'https://lms.example.com/sessions/4711', details },
});
if (!completed.data) throw problem('complete the sales training', completed.error);
console.log(`completed: ${completed.data.events.join(', ')} at revision ${completed.data.revision}`);

// 4. Readiness, once the views have the completion.
const readiness = await sales.GET('/v1/launches/{launchId}/readiness', {
  params: { path: { launchId }, query: { minPosition: completed.data.position } },
});
if (!readiness.data) throw problem('read readiness', readiness.error);
const salesReadiness = readiness.data.departments.find((d) => d.department === 'sales');
console.log(`overall ${readiness.data.overall.percent}% ${readiness.data.overall.status}; sales ${salesReadiness?.percent}% ${salesReadiness?.status}`);
