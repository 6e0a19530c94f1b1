/** The webhook event type of a department's daily digest (offered only to webhooks that name it). */
export const DEPARTMENT_DIGEST = 'DepartmentDigest';
