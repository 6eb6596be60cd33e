import { Field, ObjectType } from 'type-graphql';
import type { ImageSetRecord, ImageSetVersionRecord, SearchSummaryRecord } from '../imaging/records';
import { ImageSetDicomTags } from './image-set-dicom-tags.type';
import { imageSetVersionFacts } from './image-set-version.type';
import { definedFacts, type KnownFacts } from './known-facts';
import { Node } from './node.type';

/** What an image set node may know about its latest version without another upstream call. */
export type ImageSetFacts = Pick<
  ImageSetRecord,
  'state' | 'workflowStatus' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'message' | 'forced' | 'isPrimary' | 'arn'
> & { latestVersionId: string };

/** The facts a GetImageSet answer (without a version, so of the latest version) gives. */
export function imageSetFacts(record: ImageSetRecord): ImageSetFacts {
  return {
    ...imageSetVersionFacts(record),
    latestVersionId: record.latestVersionId ?? record.versionId,
    arn: record.arn,
  };
}

/**
 * The root object behind an `ImageSet`. It always describes the image set as of its latest
 * version; fields come from what is already known (`known`) or from the per-request imageSet
 * loader, so selecting only ids and search tags costs no upstream call.
 */
@ObjectType('ImageSet', {
  implements: Node,
  description:
    'A HealthImaging image set (roughly one DICOM series) as of its latest version. Older versions are under `versions` and `version`.',
})
export class ImageSet {
  private constructor(
    datastoreId: string,
    imageSetId: string,
    readonly known: KnownFacts<ImageSetFacts>,
    dicomTags: ImageSetDicomTags | null,
  ) {
    this.datastoreId = datastoreId;
    this.imageSetId = imageSetId;
    this.dicomTags = dicomTags;
  }

  /** A search result: ids, latest version, dates and DICOM tags come with it. */
  static fromSummary(summary: SearchSummaryRecord): ImageSet {
    return new ImageSet(
      summary.datastoreId,
      summary.imageSetId,
      definedFacts<ImageSetFacts>({
        latestVersionId: summary.versionId,
        createdAt: summary.createdAt,
        updatedAt: summary.updatedAt,
        isPrimary: summary.isPrimary,
      }),
      new ImageSetDicomTags(summary.dicomTags),
    );
  }

  /** A GetImageSet answer for the latest version: every fact is known. */
  static fromLatestRecord(record: ImageSetRecord): ImageSet {
    return new ImageSet(record.datastoreId, record.imageSetId, imageSetFacts(record), null);
  }

  /**
   * The first entry of a versions page, which describes the latest version as GetImageSet does,
   * except for the ARN (docs/healthimaging-behaviour.md#the-latest-version-in-two-answers): every
   * fact but `arn` is known; `arn` loads on demand.
   */
  static fromLatestVersionEntry(entry: ImageSetVersionRecord): ImageSet {
    return new ImageSet(
      entry.datastoreId,
      entry.imageSetId,
      { ...imageSetVersionFacts(entry), latestVersionId: entry.versionId },
      null,
    );
  }

  /** An image set known by id, with what is already known (e.g. what a write answered); the rest loads on demand. */
  static withFacts(
    datastoreId: string,
    imageSetId: string,
    written: { [K in keyof ImageSetFacts]?: ImageSetFacts[K] | undefined },
  ): ImageSet {
    return new ImageSet(datastoreId, imageSetId, definedFacts<ImageSetFacts>(written), null);
  }

  @Field(() => String, { description: 'The HealthImaging data store id.' })
  readonly datastoreId: string;

  @Field(() => String, { description: 'The HealthImaging image set id (32 characters).' })
  readonly imageSetId: string;

  @Field(() => ImageSetDicomTags, {
    nullable: true,
    description:
      'The DICOM tags of the search summary. Present on `imageSets` results; null when the image set was reached another way (read `metadata` then).',
  })
  readonly dicomTags: ImageSetDicomTags | null;
}
