import type { Department } from './departments.js';
import type { LaunchPolicy } from './events.js';
import type { TaskKind } from './task-kinds.js';
import type { Tier } from './tiers.js';

export interface TemplateTask {
  key: string;
  title: string;
  department: Department;
  kind: TaskKind;
  required: boolean;
  dueDaysBeforeLaunch: number;
  /** Keys of tasks of the same template whose sign-off must stand first. */
  dependsOn?: string[];
}

export interface TierTemplate {
  tier: Tier;
  name: string;
  version: string;
  policy?: LaunchPolicy;
  tasks: TemplateTask[];
}

const VERSION = '2026-11-22';

const task = (
  key: string,
  title: string,
  department: Department,
  kind: TaskKind,
  dueDaysBeforeLaunch: number,
  required = true,
  dependsOn?: string[],
): TemplateTask => ({ key, title, department, kind, required, dueDaysBeforeLaunch, ...(dependsOn && { dependsOn }) });

/** The built-in tier templates: data, read by the same code whatever their content. */
export const BUILT_IN_TEMPLATES: readonly TierTemplate[] = [
  {
    tier: 1,
    name: 'Tier 1 — major launch',
    version: VERSION,
    tasks: [
      task('scope-freeze', 'Launch scope frozen', 'product-management', 'generic', 45),
      task('messaging', 'Positioning and messaging approved', 'product-marketing', 'messaging', 35),
      task('pricing', 'Pricing approved', 'finance', 'pricing', 30),
      task('legal-review', 'Legal review cleared (terms, claims, trademarks)', 'legal', 'generic', 21),
      task('sales-training', 'Sales team trained', 'sales', 'sales-training', 14, true, ['messaging']),
      task('pr', 'Press and announcement scheduled', 'marketing', 'pr', 14),
      task('campaign', 'Launch campaign ready', 'marketing', 'generic', 10),
      task('case-study', 'Customer case study published', 'marketing', 'generic', 0, false),
      task('support-training', 'Support agents trained', 'support', 'support-training', 7),
      task('operations', 'Billing, provisioning and on-call ready', 'operations', 'generic', 7),
      task('release', 'Release signed off', 'engineering', 'release', 5),
      task('docs', 'Help-center documentation published', 'support', 'docs', 3),
    ],
  },
  {
    tier: 2,
    name: 'Tier 2 — feature launch',
    version: VERSION,
    tasks: [
      task('messaging', 'Positioning and messaging approved', 'product-marketing', 'messaging', 21),
      task('sales-training', 'Sales team trained', 'sales', 'sales-training', 10, true, ['messaging']),
      task('pr', 'Announcement scheduled', 'marketing', 'pr', 7),
      task('support-training', 'Support agents trained', 'support', 'support-training', 5),
      task('release', 'Release signed off', 'engineering', 'release', 3),
      task('docs', 'Help-center documentation published', 'support', 'docs', 2),
    ],
  },
  {
    tier: 3,
    name: 'Tier 3 — minor release',
    version: VERSION,
    tasks: [
      task('messaging', 'Release notes approved', 'product-marketing', 'messaging', 5),
      task('release', 'Release signed off', 'engineering', 'release', 2),
      task('docs', 'Documentation updated', 'support', 'docs', 1),
    ],
  },
];

export function templateFor(templates: readonly TierTemplate[], tier: Tier): TierTemplate {
  const template = templates.find((t) => t.tier === tier);
  if (!template) throw new Error(`no template for tier ${tier}`);
  return template;
}
