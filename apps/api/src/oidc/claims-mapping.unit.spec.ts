import { describe, expect, it } from '@jest/globals';
import { Forbidden } from '#launch';
import { actorFromClaims, roleFromClaims } from './claims-mapping.js';

const mapped = {
  roleClaim: 'realm_access.roles',
  departmentClaim: 'org.department',
  roleMap: new Map([
    ['lc-managers', 'launch-manager' as const],
    ['lc-dept', 'department' as const],
    ['lc-audit', 'auditor' as const],
  ]),
};
const plain = { roleClaim: 'launch_role', departmentClaim: 'department', roleMap: undefined };

describe('claims → actor (OIDC_ROLE_CLAIM, OIDC_DEPARTMENT_CLAIM, OIDC_ROLE_MAP)', () => {
  it('reads the role through a dotted path and the role map; several mapped roles give the one that may do the most', () => {
    expect(roleFromClaims({ realm_access: { roles: ['offline_access', 'lc-audit'] } }, mapped)).toBe('auditor');
    expect(roleFromClaims({ realm_access: { roles: ['lc-audit', 'lc-dept', 'lc-managers'] } }, mapped)).toBe('launch-manager');
    // A claim whose name itself contains the dots wins over the path.
    expect(roleFromClaims({ 'realm_access.roles': 'lc-managers', realm_access: { roles: ['lc-audit'] } }, mapped)).toBe('launch-manager');
    // With a map, role names that are not in it count for nothing.
    expect(roleFromClaims({ realm_access: { roles: ['admin'] } }, mapped)).toBeUndefined();
  });

  it('without a role map, takes claim values that are role names (a string or an array)', () => {
    expect(roleFromClaims({ launch_role: 'admin' }, plain)).toBe('admin');
    expect(roleFromClaims({ launch_role: ['staff', 'auditor'] }, plain)).toBe('auditor');
    expect(roleFromClaims({ launch_role: 'superuser' }, plain)).toBeUndefined();
    expect(roleFromClaims({ launch_role: { admin: true } }, plain)).toBeUndefined();
  });

  it('names the person: sub (prefixed), name and email', () => {
    expect(actorFromClaims({ sub: 'u-1', name: 'Ada Lovelace', email: 'ada@example.com', launch_role: 'launch-manager' }, plain)).toEqual({
      id: 'oidc:u-1',
      name: 'Ada Lovelace <ada@example.com>',
      role: 'launch-manager',
    });
    expect(actorFromClaims({ sub: 'u-2', preferred_username: 'grace', launch_role: 'auditor' }, plain).name).toBe('grace');
    expect(actorFromClaims({ sub: 'u-3', email: 'x@example.com', launch_role: 'auditor' }, plain).name).toBe('x@example.com');
    expect(actorFromClaims({ sub: 'u-4', launch_role: 'auditor' }, plain).name).toBe('u-4');
  });

  it('gives a department member the department of the claim, and nothing else one', () => {
    expect(actorFromClaims({ sub: 'e', realm_access: { roles: ['lc-dept'] }, org: { department: 'legal' } }, mapped)).toMatchObject({
      role: 'department',
      department: 'legal',
    });
    expect(actorFromClaims({ sub: 'm', realm_access: { roles: ['lc-managers'] }, org: { department: 'legal' } }, mapped)).not.toHaveProperty('department');
  });

  it('refuses (403) claims without a usable role, a department member without a known department, and a token without sub', () => {
    expect(() => actorFromClaims({ sub: 'n', realm_access: { roles: ['staff'] } }, mapped)).toThrow(Forbidden);
    expect(() => actorFromClaims({ sub: 'd', realm_access: { roles: ['lc-dept'] } }, mapped)).toThrow(/known department/);
    expect(() => actorFromClaims({ sub: 'd', realm_access: { roles: ['lc-dept'] }, org: { department: 'catering' } }, mapped)).toThrow(/"catering" is not one/);
    expect(() => actorFromClaims({ launch_role: 'admin' }, plain)).toThrow(/subject/);
  });
});
