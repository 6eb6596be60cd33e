import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { UPSTREAM_READ_COST } from '../limits/cost-weights';
import type { Scope } from '../auth/principal';
import type { GatewayContext } from '../context';
import { Datastore } from '../types/datastore.type';
import { ImageSetVersion } from '../types/image-set-version.type';
import { ImageSet } from '../types/image-set.type';
import { Node } from '../types/node.type';
import { parseNodeId } from './request/global-ids';
import { requestScope } from './request/request-scope';

@Resolver(() => Node)
export class NodeResolver {
  @Authorized<Scope>('imagesets:read')
  @Query(() => Node, {
    complexity: UPSTREAM_READ_COST,
    nullable: true,
    description:
      'Fetch any object by its global `id` (Relay). NOT_FOUND for ids that are malformed, tampered with, issued to another tenant, or whose object no longer exists.',
  })
  async node(
    @Arg('id', () => ID, { description: 'A global id from an `id` field.' }) id: string,
    @Ctx() context: GatewayContext,
  ): Promise<Datastore | ImageSet | ImageSetVersion> {
    const scope = requestScope(context);
    const { loaders } = scope;
    const ref = parseNodeId(scope, id);
    const { datastoreId } = ref;
    switch (ref.type) {
      case 'Datastore':
        return new Datastore(await loaders.datastore.load(datastoreId));
      case 'ImageSet':
        return ImageSet.fromLatestRecord(await loaders.imageSet.load({ datastoreId, imageSetId: ref.imageSetId }));
      case 'ImageSetVersion':
        return ImageSetVersion.fromRecord(
          await loaders.imageSet.load({ datastoreId, imageSetId: ref.imageSetId, versionId: ref.versionId }),
        );
    }
  }
}
