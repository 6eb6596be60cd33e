import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { CHANGES_COST, METADATA_COST, UPSTREAM_READ_COST } from '../limits/cost-weights';
import type { Scope } from '../auth/principal';
import type { GatewayContext } from '../context';
import { diffMetadata } from '../imaging/metadata-changes';
import { phiAccessOr } from '../phi/phi-access';
import { visibleChanges } from '../phi/phi-changes';
import { checkVersionId, previousVersionId } from '../imaging/version-ids';
import { ImageSetMetadata } from '../types/image-set-metadata.type';
import { ImageSetVersion, imageSetVersionFacts, type ImageSetVersionFacts } from '../types/image-set-version.type';
import { ImageSet } from '../types/image-set.type';
import { readFailureNote } from '../types/known-facts';
import { MetadataChange } from '../types/metadata-change.type';
import { imageSetVersionGlobalId } from './request/global-ids';
import { requestScope } from './request/request-scope';
import { VersionFactsResolver } from './version-facts.resolver';

@Resolver(() => ImageSetVersion)
export class ImageSetVersionResolver extends VersionFactsResolver(ImageSetVersion, {
  state: `The lock state reported for this version. ${readFailureNote('version')}`,
  workflowStatus: 'What happened to this version.',
  isPrimary: 'Whether the image set was primary at this version.',
  createdAt: 'When the image set was created.',
  updatedAt: 'When this version was written.',
  deletedAt: 'When the image set was deleted.',
  message: 'Why writing this version failed (on `…_FAILED` statuses).',
  forced: `Whether this version was written with \`force\`. ${readFailureNote('version')}`,
}) {
  /** Facts not known yet come from GetImageSet with this version id (per-request loader). */
  protected override async loadFacts(root: ImageSetVersion, context: GatewayContext): Promise<ImageSetVersionFacts> {
    const { datastoreId, imageSetId, versionId } = root;
    return imageSetVersionFacts(
      await requestScope(context).loaders.imageSet.load({ datastoreId, imageSetId, versionId }),
    );
  }

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
