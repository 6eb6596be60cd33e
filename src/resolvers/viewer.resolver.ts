import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { UnauthenticatedError } from '../errors/gateway-errors';
import { toAuthMethod } from '../types/auth-method.enum';
import { Viewer } from '../types/viewer.type';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Authorized()
  @Query(() => Viewer, {
    nullable: true,
    description: 'The authenticated caller. Needs credentials but no particular scope.',
  })
  viewer(@Ctx() context: GatewayContext): Viewer {
    const { principal, tenant } = context;
    if (!principal) throw new UnauthenticatedError();
    return Object.assign(new Viewer(), {
      tenantId: principal.tenantId,
      tenantName: tenant?.name ?? principal.tenantId,
      subject: principal.subject,
      scopes: [...principal.scopes],
      authMethod: toAuthMethod(principal.method),
    });
  }
}
