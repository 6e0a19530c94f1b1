export const DEPARTMENTS = [
  { key: 'product-management', name: 'Product Management' },
  { key: 'product-marketing', name: 'Product Marketing' },
  { key: 'marketing', name: 'Marketing' },
  { key: 'sales', name: 'Sales' },
  { key: 'support', name: 'Support' },
  { key: 'engineering', name: 'Engineering' },
  { key: 'finance', name: 'Finance' },
  { key: 'operations', name: 'Operations' },
  { key: 'legal', name: 'Legal' },
] as const;

export type Department = (typeof DEPARTMENTS)[number]['key'];

export const DEPARTMENT_KEYS: readonly Department[] = DEPARTMENTS.map((d) => d.key);

export function isDepartment(value: unknown): value is Department {
  return typeof value === 'string' && (DEPARTMENT_KEYS as readonly string[]).includes(value);
}
