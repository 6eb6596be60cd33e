import type { AuthCheckerFn } from 'type-graphql';
import { ForbiddenError, UnauthenticatedError } from '../errors/gateway-errors';
import { SCOPES, type Principal, type Scope } from './principal';

/**
 * The one auth checker behind `@Authorized(...)`. `@Authorized()` needs a caller;
 * `@Authorized('imagesets:read')` needs a caller holding that scope, and several scopes listed
 * together are all required. It throws rather than returning false, because type-graphql would
 * turn `false` into its own errors with codes outside our closed set.
 */

/** Throws UnauthenticatedError without a principal, ForbiddenError when a scope is missing. */
export function assertScopes(principal: Principal | undefined, required: readonly Scope[]): Principal {
  if (!principal) throw new UnauthenticatedError();
  for (const scope of required) {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      // A typo in a decorator is a programming error; failing loudly (masked as internal) beats granting.
      throw new Error(`Unknown scope in @Authorized: ${String(scope)}`);
    }
    if (!principal.scopes.includes(scope)) throw new ForbiddenError(`This operation needs the ${scope} scope.`);
  }
  return principal;
}

// An arrow function on purpose: type-graphql treats anything with a `prototype` as a class to
// instantiate through its container.
export const authChecker: AuthCheckerFn<{ principal?: Principal }, Scope> = ({ context }, roles) => {
  assertScopes(context.principal, roles);
  return true;
};
