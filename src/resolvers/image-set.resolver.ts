import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { Scope } from '../auth/principal';
import type { GatewayContext } from '../context';
import type { Connection } from '../types/connection';
import { ImageSetConnection } from '../types/image-set-connection.type';
import { ImageSetMetadata } from '../types/image-set-metadata.type';
import { ImageSetSearchArgs } from '../types/image-set-search.args';
import { ImageSetVersionConnection } from '../types/image-set-version-connection.type';
import { ImageSetVersion } from '../types/image-set-version.type';
import type { ImageSetRecord } from '../imaging/records';
import { ImageSet, imageSetFacts, type ImageSetFacts } from '../types/image-set.type';
import { knownOrLoad, mapMaybe, readFailureNote } from '../types/known-facts';
import { ForwardPaginationArgs, upstreamConnectionComplexity } from '../types/pagination.args';
import { METADATA_COST, UPSTREAM_READ_COST } from '../limits/cost-weights';
import { Datastore } from '../types/datastore.type';
import { imageSetGlobalId } from './request/global-ids';
import { searchImageSets } from './request/image-set-search';
import { listImageSetVersions } from './paging/image-set-versions';
import { versionsPagePlan } from './request/image-set-plan';
import { prefetchFirstVersionPages } from './request/prefetch-versions';
import { requestScope } from './request/request-scope';
import { VersionFactsResolver } from './version-facts.resolver';

function loadLatest(root: ImageSet, context: GatewayContext): Promise<ImageSetRecord> {
  return requestScope(context).loaders.imageSet.load({ datastoreId: root.datastoreId, imageSetId: root.imageSetId });
}

function latestVersionIdOf(root: ImageSet, context: GatewayContext): string | Promise<string> {
  const known = root.known.latestVersionId;
  if (known !== undefined) return known;
  return loadLatest(root, context).then((record) => record.versionId);
}

@Resolver(() => ImageSet)
export class ImageSetResolver extends VersionFactsResolver(ImageSet, {
  state: `The lock state; LOCKED while an asynchronous write runs. ${readFailureNote('image set')}`,
  workflowStatus: 'What happened or is happening to the latest version; poll it after a write.',
  isPrimary: 'Whether this is the primary image set of its series (false: data that conflicted on import or copy).',
  createdAt: 'When the image set was created.',
  updatedAt: 'When the latest version was written.',
  deletedAt: 'When the image set was deleted.',
  message: 'Why the latest write failed (on `…_FAILED` statuses).',
  forced: `Whether the latest version was written with \`force\`. ${readFailureNote('image set')}`,
}) {
  protected override async loadFacts(root: ImageSet, context: GatewayContext): Promise<ImageSetFacts> {
    return imageSetFacts(await loadLatest(root, context));
  }

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
    const plan = versionsPagePlan(info, { datastoreId, imageSetId });
    if (plan) {
      const latest = (await scope.loaders.versionsPage.load(plan)).items[0];
      if (latest) return ImageSet.fromLatestVersionEntry(latest);
    }
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
  latestVersionId(@Root() root: ImageSet, @Ctx() context: GatewayContext): string | Promise<string> {
    return latestVersionIdOf(root, context);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The image set ARN.' })
  arn(@Root() root: ImageSet, @Ctx() context: GatewayContext): string | null | Promise<string | null> {
    return mapMaybe(
      knownOrLoad(root.known, 'arn', () => this.loadFacts(root, context)),
      (arn) => arn ?? null,
    );
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
  latestVersion(@Root() root: ImageSet, @Ctx() context: GatewayContext): ImageSetVersion | Promise<ImageSetVersion> {
    // A latest version id known already (search summary, write answer) costs nothing here; its
    // facts then load by version id, which the loader serves from the image set's own latest load.
    const versionId = root.known.latestVersionId;
    if (versionId !== undefined) return ImageSetVersion.withFacts(root.datastoreId, root.imageSetId, versionId, {});
    return loadLatest(root, context).then((record) => ImageSetVersion.fromRecord(record));
  }

  @Authorized<Scope>('imagesets:read')
  @FieldResolver(() => ImageSetMetadata, {
    nullable: true,
    complexity: METADATA_COST,
    description: `The decoded DICOM metadata of a version (default: the latest). Fetched and decoded at most once per request and version, and only when one of its fields is selected. ${readFailureNote('image set')}`,
  })
  metadata(
    @Root() root: ImageSet,
    @Arg('versionId', () => String, { nullable: true, description: 'The version to read; omitted: the latest.' })
    versionId: string | null | undefined,
    @Ctx() context: GatewayContext,
  ): ImageSetMetadata | Promise<ImageSetMetadata> {
    const { datastoreId, imageSetId } = root;
    return mapMaybe(
      versionId ?? latestVersionIdOf(root, context),
      (resolved) => new ImageSetMetadata({ datastoreId, imageSetId, versionId: resolved }),
    );
  }
}
