import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { CHANGES_COST, METADATA_COST, UPSTREAM_READ_COST } from '../limits/cost-weights';
import type { Scope } from '../auth/principal';
import type { GatewayContext } from '../context';
import { diffMetadata } from '../imaging/metadata-changes';
import { phiAccessOr } from '../phi/phi-access';
import { visibleChanges } from '../phi/phi-changes';
import { checkVersionId, previousVersionId } from '../imaging/version-ids';
import { ImageSetMetadata } from '../types/image-set-metadata.type';
import { ImageSetState, toImageSetState } from '../types/image-set-state.enum';
import { ImageSetVersion, imageSetVersionFacts, type ImageSetVersionFacts } from '../types/image-set-version.type';
import { ImageSetWorkflowStatus, toImageSetWorkflowStatus } from '../types/image-set-workflow-status.enum';
import { ImageSet } from '../types/image-set.type';
import { knownOrLoad, readFailureNote } from '../types/known-facts';
import { MetadataChange } from '../types/metadata-change.type';
import { DateTimeScalar } from '../types/scalars';
import { imageSetVersionGlobalId } from './request/global-ids';
import { requestScope } from './request/request-scope';

/** A fact of this version: known already, or from GetImageSet with this version id (per-request loader). */
function fact<K extends keyof ImageSetVersionFacts>(
  root: ImageSetVersion,
  key: K,
  context: GatewayContext,
): Promise<ImageSetVersionFacts[K] | undefined> {
  const { datastoreId, imageSetId, versionId } = root;
  return knownOrLoad(root.known, key, async () =>
    imageSetVersionFacts(await requestScope(context).loaders.imageSet.load({ datastoreId, imageSetId, versionId })),
  );
}

@Resolver(() => ImageSetVersion)
export class ImageSetVersionResolver {
  @Authorized<Scope>('imagesets:read')
  @Query(() => ImageSetVersion, {
    nullable: true,
    complexity: UPSTREAM_READ_COST,
    description: 'One version of an image set. NOT_FOUND when it does not exist or is outside the tenant.',
  })
  async imageSetVersion(
    @Arg('datastoreId', () => String, { description: 'The HealthImaging data store id.' }) datastoreId: string,
    @Arg('imageSetId', () => String, { description: 'The HealthImaging image set id.' }) imageSetId: string,
    @Arg('versionId', () => String, { description: 'The version id, a decimal string.' }) versionId: string,
    @Ctx() context: GatewayContext,
  ): Promise<ImageSetVersion> {
    return ImageSetVersion.fromRecord(
      await requestScope(context).loaders.imageSet.load({ datastoreId, imageSetId, versionId }),
    );
  }

  @FieldResolver(() => ID, { description: 'Opaque global id.' })
  id(@Root() root: ImageSetVersion, @Ctx() context: GatewayContext): string {
    return imageSetVersionGlobalId(requestScope(context), root.datastoreId, root.imageSetId, root.versionId);
  }

  @FieldResolver(() => ImageSet, { description: 'The image set this version belongs to (as of its latest version).' })
  imageSet(@Root() root: ImageSetVersion): ImageSet {
    return ImageSet.withFacts(root.datastoreId, root.imageSetId, {});
  }

  @FieldResolver(() => ImageSetState, {
    nullable: true,
    description: `The lock state reported for this version. ${readFailureNote('version')}`,
  })
  async state(@Root() root: ImageSetVersion, @Ctx() context: GatewayContext): Promise<ImageSetState> {
    return toImageSetState(await fact(root, 'state', context));
  }

  @FieldResolver(() => ImageSetWorkflowStatus, { nullable: true, description: 'What happened to this version.' })
  async workflowStatus(
    @Root() root: ImageSetVersion,
    @Ctx() context: GatewayContext,
  ): Promise<ImageSetWorkflowStatus | null> {
    return toImageSetWorkflowStatus(await fact(root, 'workflowStatus', context));
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the image set was primary at this version.' })
  async isPrimary(@Root() root: ImageSetVersion, @Ctx() context: GatewayContext): Promise<boolean | null> {
    return (await fact(root, 'isPrimary', context)) ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the image set was created.' })
  async createdAt(@Root() root: ImageSetVersion, @Ctx() context: GatewayContext): Promise<Date | null> {
    return (await fact(root, 'createdAt', context)) ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When this version was written.' })
  async updatedAt(@Root() root: ImageSetVersion, @Ctx() context: GatewayContext): Promise<Date | null> {
    return (await fact(root, 'updatedAt', context)) ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the image set was deleted.' })
  async deletedAt(@Root() root: ImageSetVersion, @Ctx() context: GatewayContext): Promise<Date | null> {
    return (await fact(root, 'deletedAt', context)) ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Why writing this version failed (on `…_FAILED` statuses).',
  })
  async message(@Root() root: ImageSetVersion, @Ctx() context: GatewayContext): Promise<string | null> {
    return (await fact(root, 'message', context)) ?? null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: `Whether this version was written with \`force\`. ${readFailureNote('version')}`,
  })
  async forced(@Root() root: ImageSetVersion, @Ctx() context: GatewayContext): Promise<boolean> {
    return (await fact(root, 'forced', context)) ?? false;
  }

  @Authorized<Scope>('imagesets:read')
  @FieldResolver(() => ImageSetMetadata, {
    complexity: METADATA_COST,
    description: 'The decoded DICOM metadata of this version, fetched only when one of its fields is selected.',
  })
  metadata(@Root() root: ImageSetVersion): ImageSetMetadata {
    return new ImageSetMetadata({
      datastoreId: root.datastoreId,
      imageSetId: root.imageSetId,
      versionId: root.versionId,
    });
  }

  @Authorized<Scope>('imagesets:read')
  @FieldResolver(() => [MetadataChange], {
    nullable: true,
    complexity: CHANGES_COST,
    description:
      'The DICOM attribute differences from version `from` to this version, level by level (patient, study, series, instances). Null for version 1 when `from` is omitted.',
  })
  async changes(
    @Root() root: ImageSetVersion,
    @Arg('from', () => String, {
      nullable: true,
      description: 'The version to compare with; omitted: the previous version.',
    })
    from: string | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<MetadataChange[] | null> {
    const base = from === null || from === undefined ? previousVersionId(root.versionId) : checkVersionId(from, 'from');
    if (base === undefined) return null;
    const { datastoreId, imageSetId } = root;
    const { metadata } = requestScope(context).loaders;
    const [before, after] = await Promise.all([
      metadata.load({ datastoreId, imageSetId, versionId: base }),
      metadata.load({ datastoreId, imageSetId, versionId: root.versionId }),
    ]);
    return visibleChanges(phiAccessOr(context.phi), diffMetadata(before, after), root).map(
      (change) => new MetadataChange(change),
    );
  }
}
