import { BadUserInputError } from '../../errors/gateway-errors';
import type { CopyImageSetRequest, UpdateImageSetMetadataRequest } from '../../imaging/imaging-port';
import type { MetadataDocument } from '../../imaging/records';
import {
  buildCopySubset,
  buildRemovableAttributes,
  buildUpdatableAttributes,
  type LevelAttributesInput as LevelAttributes,
  type RemovalInput,
} from '../../imaging/writes/update-document';
import type { CopyImageSetInput, CopySubsetInput } from '../../types/copy-image-set.input';
import type { LevelAttributesInput, MetadataRemovalsInput } from '../../types/level-attributes.input';
import type { RevertImageSetInput } from '../../types/revert-image-set.input';
import type { UpdateImageSetMetadataInput } from '../../types/update-image-set-metadata.input';

/** GraphQL's explicit nulls become absent members, the shape the document builders expect. */
export function toLevelAttributes(input: LevelAttributesInput): LevelAttributes {
  const attributes: LevelAttributes = {};
  if (input.patient != null) attributes.patient = input.patient;
  if (input.study != null) attributes.study = input.study;
  if (input.series != null) {
    attributes.series = input.series.map(({ seriesInstanceUid, attributes: values }) => ({
      seriesInstanceUid,
      attributes: values,
    }));
  }
  if (input.instances != null) {
    attributes.instances = input.instances.map((entry) => ({
      seriesInstanceUid: entry.seriesInstanceUid,
      sopInstanceUid: entry.sopInstanceUid,
      attributes: entry.attributes,
      ...(entry.vrs != null ? { vrs: entry.vrs } : {}),
    }));
  }
  return attributes;
}

export function toRemovalInput(input: MetadataRemovalsInput): RemovalInput {
  const removal: RemovalInput = toLevelAttributes(input);
  if (input.removeSeries != null) removal.removeSeries = [...input.removeSeries];
  if (input.removeInstances != null) {
    removal.removeInstances = input.removeInstances.map(({ seriesInstanceUid, sopInstanceUid }) => ({
      seriesInstanceUid,
      sopInstanceUid,
    }));
  }
  return removal;
}

/** Builds (and checks against the DICOM dictionary) the change documents of an update. */
export function toUpdateRequest(input: UpdateImageSetMetadataInput): UpdateImageSetMetadataRequest {
  if (input.updates == null && input.removals == null) {
    throw new BadUserInputError('Give `updates`, `removals` or both.', { invalidFields: ['updates', 'removals'] });
  }
  const updates: NonNullable<UpdateImageSetMetadataRequest['updates']> = {};
  if (input.updates != null)
    updates.updatableAttributes = buildUpdatableAttributes(toLevelAttributes(input.updates)).document;
  if (input.removals != null)
    updates.removableAttributes = buildRemovableAttributes(toRemovalInput(input.removals)).document;
  return {
    datastoreId: input.datastoreId,
    imageSetId: input.imageSetId,
    latestVersionId: input.latestVersionId,
    updates,
    force: input.force,
  };
}

export function toRevertRequest(input: RevertImageSetInput): UpdateImageSetMetadataRequest {
  return {
    datastoreId: input.datastoreId,
    imageSetId: input.imageSetId,
    latestVersionId: input.latestVersionId,
    revertToVersionId: input.toVersionId,
  };
}

/**
 * The copy request. A series listed without `sopInstanceUids` means all of its instances; the
 * wire format only lists instances, so those are read from the source version's metadata
 * (`loadSource` is only called when needed).
 */
export async function toCopyRequest(
  input: CopyImageSetInput,
  loadSource: () => Promise<MetadataDocument>,
): Promise<CopyImageSetRequest> {
  const request: CopyImageSetRequest = {
    datastoreId: input.datastoreId,
    sourceImageSetId: input.sourceImageSetId,
    sourceLatestVersionId: input.sourceLatestVersionId,
    force: input.force,
    promoteToPrimary: input.promoteToPrimary,
  };
  if (input.destination != null) {
    request.destination = {
      imageSetId: input.destination.imageSetId,
      latestVersionId: input.destination.latestVersionId,
    };
  }
  if (input.subset != null)
    request.copiableAttributes = buildCopySubset(await subsetSelection(input.subset, loadSource));
  return request;
}

async function subsetSelection(
  subset: CopySubsetInput,
  loadSource: () => Promise<MetadataDocument>,
): Promise<Array<{ seriesInstanceUid: string; sopInstanceUids: string[] }>> {
  const needsSource = subset.series.some((entry) => entry.sopInstanceUids == null);
  const source = needsSource ? await loadSource() : undefined;
  return subset.series.map((entry, index) => {
    if (entry.sopInstanceUids != null)
      return { seriesInstanceUid: entry.seriesInstanceUid, sopInstanceUids: [...entry.sopInstanceUids] };
    const series = source?.Study?.Series ?? {};
    if (!Object.prototype.hasOwnProperty.call(series, entry.seriesInstanceUid)) {
      throw new BadUserInputError(
        `subset.series[${index}].seriesInstanceUid is not a series of the source image set version.`,
        {
          invalidFields: [`subset.series[${index}].seriesInstanceUid`],
        },
      );
    }
    return {
      seriesInstanceUid: entry.seriesInstanceUid,
      sopInstanceUids: Object.keys(series[entry.seriesInstanceUid]?.Instances ?? {}),
    };
  });
}
