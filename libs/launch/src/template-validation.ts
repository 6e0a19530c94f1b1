import { isDepartment } from './departments.js';
import { isTaskKind } from './task-kinds.js';
import type { TemplateTask, TierTemplate } from './templates.js';
import { isTier } from './tiers.js';

/** A template definition that cannot be used, naming the offending field (e.g. `[0].tasks[2].department`). */
export class InvalidTemplates extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

const KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max;

function only(value: Record<string, unknown>, allowed: string[], at: string): void {
  const extra = Object.keys(value).find((key) => !allowed.includes(key));
  if (extra !== undefined) throw new InvalidTemplates(`${at}.${extra}`, 'is not a known field');
}

function parseTask(value: unknown, at: string): TemplateTask {
  if (!isRecord(value)) throw new InvalidTemplates(at, 'must be an object');
  only(value, ['key', 'title', 'department', 'kind', 'required', 'dueDaysBeforeLaunch', 'dependsOn'], at);
  const { key, title, department, kind, required, dueDaysBeforeLaunch, dependsOn } = value;
  if (typeof key !== 'string' || !KEY.test(key)) throw new InvalidTemplates(`${at}.key`, 'must be a lower-case key such as "sales-training"');
  if (!isText(title)) throw new InvalidTemplates(`${at}.title`, 'must be a non-empty string of at most 200 characters');
  if (!isDepartment(department)) throw new InvalidTemplates(`${at}.department`, 'must be a department key');
  if (!isTaskKind(kind)) throw new InvalidTemplates(`${at}.kind`, 'must be a task kind');
  if (typeof required !== 'boolean') throw new InvalidTemplates(`${at}.required`, 'must be true or false');
  if (!Number.isSafeInteger(dueDaysBeforeLaunch) || (dueDaysBeforeLaunch as number) < 0 || (dueDaysBeforeLaunch as number) > 730) {
    throw new InvalidTemplates(`${at}.dueDaysBeforeLaunch`, 'must be a whole number of days from 0 to 730');
  }
  if (dependsOn !== undefined && (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string'))) {
    throw new InvalidTemplates(`${at}.dependsOn`, 'must be a list of task keys');
  }
  return { key, title, department, kind, required, dueDaysBeforeLaunch: dueDaysBeforeLaunch as number, ...(dependsOn && { dependsOn: dependsOn as string[] }) };
}

function checkDependencies(tasks: TemplateTask[], at: string): void {
  const keys = new Map(tasks.map((t, i) => [t.key, i]));
  tasks.forEach((task, i) =>
    task.dependsOn?.forEach((key, j) => {
      if (!keys.has(key)) throw new InvalidTemplates(`${at}.tasks[${i}].dependsOn[${j}]`, `names no task of this template: ${key}`);
    }),
  );
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (key: string, path: string[]): void => {
    if (done.has(key)) return;
    if (visiting.has(key)) throw new InvalidTemplates(`${at}.tasks[${keys.get(key)}].dependsOn`, `forms a cycle: ${[...path, key].join(' -> ')}`);
    visiting.add(key);
    for (const next of tasks[keys.get(key)!].dependsOn ?? []) visit(next, [...path, key]);
    visiting.delete(key);
    done.add(key);
  };
  tasks.forEach((t) => visit(t.key, []));
}

function parseTemplate(value: unknown, at: string): TierTemplate {
  if (!isRecord(value)) throw new InvalidTemplates(at, 'must be an object');
  only(value, ['tier', 'name', 'version', 'policy', 'tasks'], at);
  const { tier, name, version, policy, tasks } = value;
  if (!isTier(tier)) throw new InvalidTemplates(`${at}.tier`, 'must be 1, 2 or 3');
  if (!isText(name)) throw new InvalidTemplates(`${at}.name`, 'must be a non-empty string');
  if (!isText(version, 64)) throw new InvalidTemplates(`${at}.version`, 'must be a non-empty string of at most 64 characters');
  if (policy !== undefined) {
    if (!isRecord(policy)) throw new InvalidTemplates(`${at}.policy`, 'must be an object');
    only(policy, ['requireGoVotes'], `${at}.policy`);
    if (typeof policy.requireGoVotes !== 'boolean') throw new InvalidTemplates(`${at}.policy.requireGoVotes`, 'must be true or false');
  }
  if (!Array.isArray(tasks) || tasks.length === 0) throw new InvalidTemplates(`${at}.tasks`, 'must list at least one task');
  const parsed = tasks.map((t, i) => parseTask(t, `${at}.tasks[${i}]`));
  const seen = new Set<string>();
  parsed.forEach((t, i) => {
    if (seen.has(t.key)) throw new InvalidTemplates(`${at}.tasks[${i}].key`, `repeats the key ${t.key}`);
    seen.add(t.key);
  });
  checkDependencies(parsed, at);
  return { tier, name, version, ...(policy !== undefined && { policy: { requireGoVotes: policy.requireGoVotes as boolean } }), tasks: parsed };
}

/** Validates tier templates given as data (e.g. a TEMPLATES_FILE): one template per tier 1, 2 and 3. */
export function parseTemplates(value: unknown): TierTemplate[] {
  if (!Array.isArray(value)) throw new InvalidTemplates('(root)', 'must be a list of tier templates');
  const templates = value.map((t, i) => parseTemplate(t, `[${i}]`));
  for (const tier of [1, 2, 3]) {
    const count = templates.filter((t) => t.tier === tier).length;
    if (count !== 1) throw new InvalidTemplates('(root)', `must define tier ${tier} exactly once (found ${count})`);
  }
  return templates.sort((a, b) => a.tier - b.tier);
}
