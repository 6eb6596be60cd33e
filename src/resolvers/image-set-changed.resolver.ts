import { Arg, Authorized, Ctx, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { Scope } from '../auth/principal';
import { checkResourceId } from '../imaging/request-checks';
import { checkVersionId } from '../imaging/version-ids';
import { NotFoundError } from '../errors/gateway-errors';
import { UPSTREAM_READ_COST } from '../limits/cost-weights';
import { CompletionRule, imageSetChangeStream, type ImageSetEvent } from '../subscriptions/image-set-change-stream';
import { eventImageSet } from '../subscriptions/event-image-set';
import { imageSetWatchesOf, notOverWebSocket, type SubscriptionContext } from '../subscriptions/subscription-context';
import { ImageSet } from '../types/image-set.type';
import { requestScope } from './request/request-scope';

interface ImageSetChangedArgs {
  datastoreId: string;
  imageSetId: string;
  untilVersionId?: string | null;
}

/**
 * Checks come first and cost nothing upstream: ids by shape, the data store against the grant (a
 * data store outside it looks exactly like a missing one), then the shared watch starts or is
 * joined.
 */
function subscribeImageSetChanged({
  args,
  context,
}: SubscribeResolverData<unknown, ImageSetChangedArgs, SubscriptionContext>): AsyncIterable<ImageSetEvent> {
  const { imaging } = requestScope(context);
  const { datastoreId, imageSetId, untilVersionId } = args;
  checkResourceId(datastoreId, 'datastoreId');
  checkResourceId(imageSetId, 'imageSetId');
  if (untilVersionId !== undefined && untilVersionId !== null) checkVersionId(untilVersionId, 'untilVersionId');
  if (!imaging.grantedDatastoreIds().includes(datastoreId)) throw new NotFoundError();
  const rule = new CompletionRule(untilVersionId ?? undefined);
  return imageSetChangeStream(imageSetWatchesOf(context), imaging, datastoreId, imageSetId, rule);
}

@Resolver()
export class ImageSetChangedResolver {
  @Authorized<Scope>('imagesets:read')
  @Subscription(() => ImageSet, {
    nullable: true,
    complexity: UPSTREAM_READ_COST,
    subscribe: subscribeImageSetChanged,
    description:
      'The image set (`state`, `workflowStatus`, `latestVersionId`, `message`, ...) now and on every change of those, until a write has settled: the stream completes at the first settled state (ACTIVE, no `…ING` status) after a running write was seen, or at once when `untilVersionId` has already settled, or when the image set is deleted. Served over WebSocket (graphql-ws) on the GraphQL path, authenticated by the `connection_init` payload (`{"authorization": "Bearer …"}` or `{"x-api-key": "…"}`). Patient-identifying attributes are withheld in events whatever the scopes (query them, which is audited). NOT_FOUND when the image set does not exist or is outside the tenant.',
  })
  imageSetChanged(
    @Root() event: ImageSetEvent | undefined,
    @Arg('datastoreId', () => String, { description: 'The HealthImaging data store id.' }) _datastoreId: string,
    @Arg('imageSetId', () => String, { description: 'The HealthImaging image set id.' }) _imageSetId: string,
    @Arg('untilVersionId', () => String, {
      nullable: true,
      description:
        'Complete as soon as this version (or a later one) has settled: pass the `latestVersionId` a write answered, and the stream ends at once if the write already finished. Omitted: the stream waits for the next write to run and settle.',
    })
    _untilVersionId: string | null | undefined,
    @Ctx() context: SubscriptionContext,
  ): ImageSet {
    if (event === undefined) throw notOverWebSocket();
    if (event instanceof Error) throw event;
    // Fields beyond the event's facts load through this subscription's loaders; what they cached
    // about the image set's latest version is from an earlier event.
    context.loaders?.afterWrite(event.datastoreId, event.imageSetId);
    return eventImageSet(event);
  }
}
