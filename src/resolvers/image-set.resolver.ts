import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { Scope } from '../auth/principal';
import type { GatewayContext } from '../context';
import type { Connection } from '../types/connection';
import { ImageSetConnection } from '../types/image-set-connection.type';
import { ImageSetMetadata } from '../types/image-set-metadata.type';
import { ImageSetSearchArgs } from '../types/image-set-search.args';
import { ImageSetState, toImageSetState } from '../types/image-set-state.enum';
import { ImageSetVersionConnection } from '../types/image-set-version-connection.type';
import { ImageSetVersion } from '../types/image-set-version.type';
import { ImageSetWorkflowStatus, toImageSetWorkflowStatus } from '../types/image-set-workflow-status.enum';
import type { ImageSetRecord } from '../imaging/records';
import { ImageSet, imageSetFacts, type ImageSetFacts } from '../types/image-set.type';
import { knownOrLoad, readFailureNote } from '../types/known-facts';
import { ForwardPaginationArgs, upstreamConnectionComplexity } from '../types/pagination.args';
import { METADATA_COST, UPSTREAM_READ_COST } from '../limits/cost-weights';
import { DateTimeScalar } from '../types/scalars';
import { Datastore } from '../types/datastore.type';
import { imageSetGlobalId } from './request/global-ids';
import { searchImageSets } from './request/image-set-search';
import { listImageSetVersions } from './paging/image-set-versions';
import { prefetchFirstVersionPages } from './request/prefetch-versions';
import { requestScope } from './request/request-scope';

/** A fact of the image set's latest version: known already, or from the per-request GetImageSet loader. */
function fact<K extends keyof ImageSetFacts>(
  root: ImageSet,
  key: K,
  context: GatewayContext,
): Promise<ImageSetFacts[K] | undefined> {
  return knownOrLoad(root.known, key, async () => imageSetFacts(await loadLatest(root, context)));
}

function loadLatest(root: ImageSet, context: GatewayContext): Promise<ImageSetRecord> {
  return requestScope(context).loaders.imageSet.load({ datastoreId: root.datastoreId, imageSetId: root.imageSetId });
}

async function latestVersionIdOf(root: ImageSet, context: GatewayContext): Promise<string> {
  const known = root.known.latestVersionId;
  if (known !== undefined) return known;
  return (await loadLatest(root, context)).versionId;
}

@Resolver(() => ImageSet)
export class ImageSetResolver {
  @Authorized<Scope>('imagesets:read')
  @Query(() => ImageSetConnection, {
    nullable: true,
    complexity: upstreamConnectionComplexity,
    description: 'Search the image sets of a data store (one SearchImageSets call per page). Pages forward only.',
  })
  imageSets(
    @Arg('datastoreId', () => String, { description: 'The HealthImaging data store id to search.' })
    datastoreId: string,
    @Args(() => ImageSetSearchArgs) args: ImageSetSearchArgs,
    @Ctx() context: GatewayContext,
  ): Promise<Connection<ImageSet>> {
    return searchImageSets(requestScope(context), datastoreId, args);
  }

  @Authorized<Scope>('imagesets:read')
  @Query(() => ImageSet, {
    nullable: true,
    complexity: UPSTREAM_READ_COST,
    description:
      'One image set, as of its latest version (older versions: `ImageSet.version` or `imageSetVersion`). NOT_FOUND when it does not exist or is outside the tenant.',
  })
  async imageSet(
    @Arg('datastoreId', () => String, { description: 'The HealthImaging data store id.' }) datastoreId: string,
    @Arg('imageSetId', () => String, { description: 'The HealthImaging image set id.' }) imageSetId: string,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ImageSet> {
    const scope = requestScope(context);
    prefetchFirstVersionPages(scope, info, datastoreId, imageSetId);
    return ImageSet.fromLatestRecord(await scope.loaders.imageSet.load({ datastoreId, imageSetId }));
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() root: ImageSet, @Ctx() context: GatewayContext): string {
    return imageSetGlobalId(requestScope(context), root.datastoreId, root.imageSetId);
  }

  @Authorized<Scope>('imagesets:read')
  @FieldResolver(() => Datastore, {
    nullable: true,
    complexity: UPSTREAM_READ_COST,
    description: 'The data store holding this image set.',
  })
  async datastore(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<Datastore> {
    return new Datastore(await requestScope(context).loaders.datastore.load(root.datastoreId));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: `The latest version id, a decimal string. ${readFailureNote('image set')}`,
  })
  latestVersionId(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<string> {
    return latestVersionIdOf(root, context);
  }

  @FieldResolver(() => ImageSetState, {
    nullable: true,
    description: `The lock state; LOCKED while an asynchronous write runs. ${readFailureNote('image set')}`,
  })
  async state(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<ImageSetState> {
    return toImageSetState(await fact(root, 'state', context));
  }

  @FieldResolver(() => ImageSetWorkflowStatus, {
    nullable: true,
    description: 'What happened or is happening to the latest version; poll it after a write.',
  })
  async workflowStatus(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<ImageSetWorkflowStatus | null> {
    return toImageSetWorkflowStatus(await fact(root, 'workflowStatus', context));
  }

  @FieldResolver(() => String, { nullable: true, description: 'The image set ARN.' })
  async arn(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<string | null> {
    return (await fact(root, 'arn', context)) ?? null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Whether this is the primary image set of its series (false: data that conflicted on import or copy).',
  })
  async isPrimary(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<boolean | null> {
    return (await fact(root, 'isPrimary', context)) ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the image set was created.' })
  async createdAt(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<Date | null> {
    return (await fact(root, 'createdAt', context)) ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the latest version was written.' })
  async updatedAt(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<Date | null> {
    return (await fact(root, 'updatedAt', context)) ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the image set was deleted.' })
  async deletedAt(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<Date | null> {
    return (await fact(root, 'deletedAt', context)) ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why the latest write failed (on `…_FAILED` statuses).' })
  async message(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<string | null> {
    return (await fact(root, 'message', context)) ?? null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: `Whether the latest version was written with \`force\`. ${readFailureNote('image set')}`,
  })
  async forced(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<boolean> {
    return (await fact(root, 'forced', context)) ?? false;
  }

  @Authorized<Scope>('imagesets:read')
  @FieldResolver(() => ImageSetVersionConnection, {
    nullable: true,
    complexity: upstreamConnectionComplexity,
    description:
      'Every version of the image set, newest first (one ListImageSetVersions call per page). Pages forward only.',
  })
  versions(
    @Root() root: ImageSet,
    @Args(() => ForwardPaginationArgs) args: ForwardPaginationArgs,
    @Ctx() context: GatewayContext,
  ): Promise<Connection<ImageSetVersion>> {
    return listImageSetVersions(requestScope(context), root.datastoreId, root.imageSetId, args);
  }

  @Authorized<Scope>('imagesets:read')
  @FieldResolver(() => ImageSetVersion, {
    complexity: UPSTREAM_READ_COST,
    nullable: true,
    description: 'One version of the image set. NOT_FOUND when it does not exist.',
  })
  async version(
    @Root() root: ImageSet,
    @Arg('versionId', () => String, { description: 'The version id, a decimal string.' }) versionId: string,
    @Ctx() context: GatewayContext,
  ): Promise<ImageSetVersion> {
    const { datastoreId, imageSetId } = root;
    return ImageSetVersion.fromRecord(
      await requestScope(context).loaders.imageSet.load({ datastoreId, imageSetId, versionId }),
    );
  }

  @Authorized<Scope>('imagesets:read')
  @FieldResolver(() => ImageSetVersion, {
    nullable: true,
    description: `The latest version of the image set. ${readFailureNote('image set')}`,
  })
  async latestVersion(@Root() root: ImageSet, @Ctx() context: GatewayContext): Promise<ImageSetVersion> {
    // A latest version id known already (search summary, write answer) costs nothing here; its
    // facts then load by version id, which the loader serves from the image set's own latest load.
    const versionId = root.known.latestVersionId;
    if (versionId !== undefined) return ImageSetVersion.withFacts(root.datastoreId, root.imageSetId, versionId, {});
    return ImageSetVersion.fromRecord(await loadLatest(root, context));
  }

  @Authorized<Scope>('imagesets:read')
  @FieldResolver(() => ImageSetMetadata, {
    nullable: true,
    complexity: METADATA_COST,
    description: `The decoded DICOM metadata of a version (default: the latest). Fetched and decoded at most once per request and version, and only when one of its fields is selected. ${readFailureNote('image set')}`,
  })
  async metadata(
    @Root() root: ImageSet,
    @Arg('versionId', () => String, { nullable: true, description: 'The version to read; omitted: the latest.' })
    versionId: string | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<ImageSetMetadata> {
    const resolved = versionId ?? (await latestVersionIdOf(root, context));
    return new ImageSetMetadata({ datastoreId: root.datastoreId, imageSetId: root.imageSetId, versionId: resolved });
  }
}
