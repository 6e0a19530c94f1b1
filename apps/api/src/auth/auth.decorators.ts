import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '#launch';
import type { Principal } from './principal.js';

export const IS_PUBLIC = 'launch-control:public';
export const ROLES = 'launch-control:roles';

/** No token needed (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route. Routes without it are open to every authenticated principal. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export type AuthenticatedRequest = { principal: Principal };

/** The calling principal, set by the AuthGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
});
