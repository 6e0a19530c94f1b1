import type { LaunchEvent, TaskSpec } from '../src/events.js';

export const LAUNCH_ID = '7a1c3f0e-0000-4000-8000-000000000001';

export const tasks = {
  messaging: {
    taskId: 't-msg',
    key: 'messaging',
    title: 'Messaging approved',
    department: 'product-marketing',
    kind: 'messaging',
    required: true,
    dueDate: '2026-12-01',
  },
  sales: {
    taskId: 't-sales',
    key: 'sales-training',
    title: 'Sales trained',
    department: 'sales',
    kind: 'sales-training',
    required: true,
    dueDate: '2026-12-10',
  },
  pr: { taskId: 't-pr', key: 'pr', title: 'PR scheduled', department: 'marketing', kind: 'pr', required: true, dueDate: '2026-12-10' },
  release: { taskId: 't-rel', key: 'release', title: 'Release approved', department: 'engineering', kind: 'release', required: true, dueDate: '2026-12-12' },
  caseStudy: { taskId: 't-case', key: 'case-study', title: 'Case study', department: 'marketing', kind: 'generic', required: false, dueDate: '2026-12-15' },
} satisfies Record<string, TaskSpec>;

export const launchCreated = (overrides: Partial<Extract<LaunchEvent, { type: 'LaunchCreated' }>['data']> = {}): LaunchEvent => ({
  type: 'LaunchCreated',
  data: {
    launchId: LAUNCH_ID,
    name: 'Aurora GA',
    product: 'Aurora',
    tier: 2,
    targetDate: '2026-12-15',
    templateVersion: 'test',
    tasks: Object.values(tasks),
    ...overrides,
  },
});

export const messagingApproved: LaunchEvent = {
  type: 'MessagingApproved',
  data: { taskId: 't-msg', details: { documentUrl: 'https://docs.example.com/msg', version: 'v3' } },
};
export const salesTrained: LaunchEvent = {
  type: 'SalesTrained',
  data: { taskId: 't-sales', details: { sessionDate: '2026-12-01', repsTrained: 40, repsTotal: 42 } },
};
export const prScheduled: LaunchEvent = {
  type: 'PrScheduled',
  data: { taskId: 't-pr', details: { announceAt: '2026-12-15T09:00:00Z', outlets: ['TechCrunch'] } },
};
export const releaseApproved: LaunchEvent = { type: 'ReleaseApproved', data: { taskId: 't-rel', details: { version: '2.0.0' } } };

export const allRequiredDone: LaunchEvent[] = [launchCreated(), messagingApproved, salesTrained, prScheduled, releaseApproved];
