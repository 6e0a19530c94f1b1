import { addDays, DEPARTMENT_KEYS, type Department } from '#launch';

/** What a digest needs of a task (a department task view; `owner` only where the views carry it). */
export interface DigestTask {
  launchId: string;
  launchName: string;
  launchStatus: string;
  targetDate: string;
  taskId: string;
  title: string;
  department: string;
  dueDate: string;
  status: string;
  owner?: unknown;
}

export interface DigestItem {
  launchId: string;
  launchName: string;
  taskId: string;
  title: string;
  department: string;
  dueDate: string;
  status: string;
}

/** The four lists; each task is in at most one (blocked and stale by status, the rest of the open ones by due date). */
export interface DigestSections {
  overdue: DigestItem[];
  dueSoon: DigestItem[];
  blocked: DigestItem[];
  stale: DigestItem[];
}

export interface DepartmentDigest extends DigestSections {
  department: Department;
  date: string;
}

export interface OwnerDigest extends DigestSections {
  owner: { name: string; email: string };
  date: string;
}

/** "Due soon": due today or within this many days. */
export const DUE_SOON_DAYS = 3;

/** Launches that still owe work: cancelled and launched ones are over. */
const LIVE_LAUNCH = (status: string) => status !== 'cancelled' && status !== 'launched';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The owner a task view names, or undefined when it names none (or no usable one: read defensively, the field is new). */
export function ownerOf(task: DigestTask): { name: string; email: string } | undefined {
  const owner = task.owner as { name?: unknown; email?: unknown } | null | undefined;
  if (!owner || typeof owner !== 'object' || typeof owner.email !== 'string' || !EMAIL.test(owner.email)) return undefined;
  return { name: typeof owner.name === 'string' && owner.name.trim() ? owner.name : owner.email, email: owner.email.toLowerCase() };
}

function sectionOf(task: DigestTask, today: string): keyof DigestSections | undefined {
  if (!LIVE_LAUNCH(task.launchStatus)) return undefined;
  if (task.status === 'blocked') return 'blocked';
  if (task.status === 'stale') return 'stale';
  if (task.status !== 'open') return undefined;
  if (task.dueDate < today) return 'overdue';
  if (task.dueDate <= addDays(today, DUE_SOON_DAYS)) return 'dueSoon';
  return undefined;
}

const emptySections = (): DigestSections => ({ overdue: [], dueSoon: [], blocked: [], stale: [] });

export const isEmptyDigest = (digest: DigestSections): boolean =>
  digest.overdue.length + digest.dueSoon.length + digest.blocked.length + digest.stale.length === 0;

const byDue = (a: DigestItem, b: DigestItem) =>
  a.dueDate.localeCompare(b.dueDate) || a.launchName.localeCompare(b.launchName) || a.title.localeCompare(b.title) || a.taskId.localeCompare(b.taskId);

/**
 * The digests of one day: one per department with something to report (in catalog order), and one
 * per owner (by e-mail) of such tasks, each list earliest due first.
 */
export function composeDigests(tasks: readonly DigestTask[], today: string): { departments: DepartmentDigest[]; owners: OwnerDigest[] } {
  const departments = new Map<string, DepartmentDigest>();
  const owners = new Map<string, OwnerDigest>();
  for (const task of tasks) {
    const section = sectionOf(task, today);
    if (!section) continue;
    const item: DigestItem = {
      launchId: task.launchId,
      launchName: task.launchName,
      taskId: task.taskId,
      title: task.title,
      department: task.department,
      dueDate: task.dueDate,
      status: task.status,
    };
    let department = departments.get(task.department);
    if (!department) departments.set(task.department, (department = { department: task.department as Department, date: today, ...emptySections() }));
    department[section].push(item);
    const owner = ownerOf(task);
    if (owner) {
      let digest = owners.get(owner.email);
      if (!digest) owners.set(owner.email, (digest = { owner, date: today, ...emptySections() }));
      digest[section].push(item);
    }
  }
  const sorted = <T extends DigestSections>(digest: T): T => {
    for (const list of [digest.overdue, digest.dueSoon, digest.blocked, digest.stale]) list.sort(byDue);
    return digest;
  };
  return {
    departments: DEPARTMENT_KEYS.flatMap((key) => (departments.has(key) ? [sorted(departments.get(key)!)] : [])),
    owners: [...owners.keys()].sort().map((email) => sorted(owners.get(email)!)),
  };
}

const SECTION_TITLES: Array<[keyof DigestSections, string]> = [
  ['overdue', 'Overdue'],
  ['dueSoon', `Due within ${DUE_SOON_DAYS} days`],
  ['blocked', 'Blocked'],
  ['stale', 'Stale sign-offs to confirm again'],
];

/** The e-mail of a digest: a subject and a plain-text body, with a dashboard link per launch when the public address is known. */
export function digestEmail(digest: DepartmentDigest | OwnerDigest, dashboardUrl?: string): { subject: string; text: string } {
  const whose = 'department' in digest ? `${digest.department}` : `${digest.owner.name}`;
  const counts = SECTION_TITLES.filter(([key]) => digest[key].length > 0).map(([key, title]) => `${digest[key].length} ${title.toLowerCase()}`);
  const lines = [`Launch Control digest for ${whose}, ${digest.date}`, ''];
  for (const [key, title] of SECTION_TITLES) {
    if (digest[key].length === 0) continue;
    lines.push(`${title} (${digest[key].length})`);
    for (const item of digest[key]) {
      const link = dashboardUrl ? ` ${dashboardUrl}#/launches/${item.launchId}` : '';
      lines.push(`  - ${item.title} [${item.department}, ${item.status}] due ${item.dueDate}, launch ${item.launchName}${link}`);
    }
    lines.push('');
  }
  return { subject: `Launch Control ${digest.date} (${whose}): ${counts.join(', ')}`, text: lines.join('\n') };
}
