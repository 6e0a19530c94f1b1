import type { Department } from './departments.js';

export const ROLES = ['admin', 'launch-manager', 'department', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who issued a command; recorded in every event's metadata. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  department?: Department;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
