import type { Department } from './departments.js';
import type { Launch } from './state.js';

/** The departments with at least one required task: the ones that vote. */
export function votingDepartments(launch: Launch): Department[] {
  return [...new Set(launch.tasks.filter((t) => t.required).map((t) => t.department))];
}

/** The voting departments whose latest vote is not go. */
export function missingGoVotes(launch: Launch): Department[] {
  const goes = new Set((launch.votes ?? []).filter((v) => v.vote === 'go').map((v) => v.department));
  return votingDepartments(launch).filter((department) => !goes.has(department));
}
