import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Scope } from '../auth/principal';
import type { GatewayContext } from '../context';
import type { Connection } from '../types/connection';
import { Datastore } from '../types/datastore.type';
import { ImageSetConnection } from '../types/image-set-connection.type';
import { ImageSetSearchArgs } from '../types/image-set-search.args';
import type { ImageSet } from '../types/image-set.type';
import { upstreamConnectionComplexity } from '../types/pagination.args';
import { UPSTREAM_READ_COST } from '../limits/cost-weights';
import { existingDatastores } from './request/granted-datastores';
import { datastoreGlobalId } from './request/global-ids';
import { searchImageSets } from './request/image-set-search';
import { requestScope } from './request/request-scope';

@Resolver(() => Datastore)
export class DatastoreResolver {
  @Authorized<Scope>('imagesets:read')
  @Query(() => [Datastore], {
    nullable: true,
    complexity: UPSTREAM_READ_COST,
    description: "The data stores granted to the caller's tenant that exist in HealthImaging.",
  })
  async datastores(@Ctx() context: GatewayContext): Promise<Datastore[]> {
    const scope = requestScope(context);
    const results = await scope.loaders.datastore.loadMany([...scope.imaging.grantedDatastoreIds()]);
    return existingDatastores(results).map((record) => new Datastore(record));
  }

  @Authorized<Scope>('imagesets:read')
  @Query(() => Datastore, {
    nullable: true,
    complexity: UPSTREAM_READ_COST,
    description:
      'One data store by its HealthImaging id. NOT_FOUND when it does not exist or is not granted to the tenant.',
  })
  async datastore(
    @Arg('datastoreId', () => String, { description: 'The HealthImaging data store id.' }) datastoreId: string,
    @Ctx() context: GatewayContext,
  ): Promise<Datastore> {
    return new Datastore(await requestScope(context).loaders.datastore.load(datastoreId));
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() datastore: Datastore, @Ctx() context: GatewayContext): string {
    return datastoreGlobalId(requestScope(context), datastore.datastoreId);
  }

  @Authorized<Scope>('imagesets:read')
  @FieldResolver(() => ImageSetConnection, {
    nullable: true,
    complexity: upstreamConnectionComplexity,
    description: 'Search the image sets of this data store (one SearchImageSets call per page). Pages forward only.',
  })
  imageSets(
    @Root() datastore: Datastore,
    @Args(() => ImageSetSearchArgs) args: ImageSetSearchArgs,
    @Ctx() context: GatewayContext,
  ): Promise<Connection<ImageSet>> {
    return searchImageSets(requestScope(context), datastore.datastoreId, args);
  }
}
