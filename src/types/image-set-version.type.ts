import { Field, ObjectType } from 'type-graphql';
import type { ImageSetVersionRecord } from '../imaging/records';
import { definedFacts, type KnownFacts } from './known-facts';
import { Node } from './node.type';

export type ImageSetVersionFacts = Pick<
  ImageSetVersionRecord,
  'state' | 'workflowStatus' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'message' | 'forced' | 'isPrimary'
>;

export function imageSetVersionFacts(record: ImageSetVersionRecord): ImageSetVersionFacts {
  return {
    state: record.state,
    workflowStatus: record.workflowStatus,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    deletedAt: record.deletedAt,
    message: record.message,
    forced: record.forced,
    isPrimary: record.isPrimary,
  };
}

/** The root object behind an `ImageSetVersion`; unknown facts come from the imageSet loader with this version id. */
@ObjectType('ImageSetVersion', {
  implements: Node,
  description:
    'One version of an image set. Every import, update, copy into the set and revert appends a version; old versions stay readable.',
})
export class ImageSetVersion {
  private constructor(
    datastoreId: string,
    imageSetId: string,
    versionId: string,
    readonly known: KnownFacts<ImageSetVersionFacts>,
  ) {
    this.datastoreId = datastoreId;
    this.imageSetId = imageSetId;
    this.versionId = versionId;
  }

  static fromRecord(record: ImageSetVersionRecord): ImageSetVersion {
    return new ImageSetVersion(record.datastoreId, record.imageSetId, record.versionId, imageSetVersionFacts(record));
  }

  /** A version known by id, with whatever is already known about it (e.g. what a write answered). */
  static withFacts(
    datastoreId: string,
    imageSetId: string,
    versionId: string,
    written: { [K in keyof ImageSetVersionFacts]?: ImageSetVersionFacts[K] | undefined },
  ): ImageSetVersion {
    return new ImageSetVersion(datastoreId, imageSetId, versionId, definedFacts<ImageSetVersionFacts>(written));
  }

  @Field(() => String, { description: 'The HealthImaging data store id.' })
  readonly datastoreId: string;

  @Field(() => String, { description: 'The HealthImaging image set id.' })
  readonly imageSetId: string;

  @Field(() => String, { description: 'The version id, a decimal string ("1", "2", …).' })
  readonly versionId: string;
}
