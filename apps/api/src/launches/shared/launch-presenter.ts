import { computeReadiness, type Launch, type Task } from '#launch';

/** A task as the API shows it. */
export function presentTask(task: Task) {
  return {
    taskId: task.taskId,
    key: task.key,
    title: task.title,
    department: task.department,
    kind: task.kind,
    required: task.required,
    dueDate: task.dueDate,
    status: task.status,
    owner: task.owner ?? null,
    ...(task.completedAt !== undefined && { completedAt: task.completedAt }),
    ...(task.completedBy !== undefined && { completedBy: task.completedBy, completedByName: task.completedByName }),
    ...(task.note !== undefined && { note: task.note }),
    ...(task.evidenceUrl !== undefined && { evidenceUrl: task.evidenceUrl }),
    ...(task.details !== undefined && { details: task.details }),
    ...(task.blockedReason !== undefined && { blockedReason: task.blockedReason }),
    ...(task.waivedReason !== undefined && { waivedReason: task.waivedReason }),
    ...(task.invalidatedReason !== undefined && { invalidatedReason: task.invalidatedReason }),
    ...(task.dependsOn !== undefined && { dependsOn: task.dependsOn }),
  };
}

/** A launch with its readiness as judged at `now` (the present, or the `asOf` instant of time travel). */
export function presentLaunch(launch: Launch, revision: number, now: Date, asOf?: string) {
  const readiness = computeReadiness(launch.tasks, now);
  return {
    launchId: launch.launchId,
    name: launch.name,
    product: launch.product,
    ...(launch.description !== undefined && { description: launch.description }),
    tier: launch.tier,
    targetDate: launch.targetDate,
    status: launch.status,
    revision,
    templateVersion: launch.templateVersion,
    createdAt: launch.createdAt,
    updatedAt: launch.updatedAt,
    ...(asOf !== undefined && { asOf }),
    readiness: { ...readiness.overall, departments: readiness.departments },
    tasks: launch.tasks.map(presentTask),
  };
}

export function presentSummary(launch: Launch, now: Date) {
  return {
    launchId: launch.launchId,
    name: launch.name,
    product: launch.product,
    tier: launch.tier,
    targetDate: launch.targetDate,
    status: launch.status,
    readiness: computeReadiness(launch.tasks, now).overall,
  };
}

export function presentReadiness(launch: Launch, now: Date, asOf?: string) {
  const readiness = computeReadiness(launch.tasks, now);
  return { launchId: launch.launchId, ...(asOf !== undefined && { asOf }), ...readiness };
}
