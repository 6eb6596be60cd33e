import type {
  CopyImageSetResponse,
  DatastoreProperties,
  DeleteImageSetResponse,
  GetImageSetResponse,
  ImageSetProperties,
  ImageSetsMetadataSummary,
  UpdateImageSetMetadataResponse,
  CopySourceImageSetProperties,
  CopyDestinationImageSetProperties,
} from '@aws-sdk/client-medical-imaging';
import type {
  CopyResultRecord,
  CopySideRecord,
  DatastoreRecord,
  DeleteResultRecord,
  ImageSetRecord,
  ImageSetVersionRecord,
  SearchSummaryRecord,
  UpdateResultRecord,
} from '../records';

/**
 * SDK output shapes to the gateway's records: one workflow-status field, version ids as decimal
 * strings, Dates for timestamps, `overrides.forced` as a boolean.
 */

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') {
    throw new Error(`HealthImaging omitted the required field ${field}.`);
  }
  return value;
}

function optionalDate(value: Date | undefined): Date | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined;
}

/** Copies only defined members, so records never carry explicit `undefined` keys. */
function defined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as Array<keyof T>) {
    if (record[key] === undefined) delete record[key];
  }
  return record;
}

export function toDatastoreRecord(properties: DatastoreProperties): DatastoreRecord {
  return defined({
    datastoreId: required(properties.datastoreId, 'datastoreId'),
    name: properties.datastoreName ?? '',
    status: required(properties.datastoreStatus, 'datastoreStatus'),
    arn: properties.datastoreArn,
    createdAt: optionalDate(properties.createdAt),
    updatedAt: optionalDate(properties.updatedAt),
  });
}

export function toImageSetRecord(output: GetImageSetResponse, askedForLatest: boolean): ImageSetRecord {
  const versionId = required(output.versionId, 'versionId');
  return defined({
    datastoreId: required(output.datastoreId, 'datastoreId'),
    imageSetId: required(output.imageSetId, 'imageSetId'),
    versionId,
    state: required(output.imageSetState, 'imageSetState'),
    workflowStatus: output.imageSetWorkflowStatus,
    createdAt: optionalDate(output.createdAt),
    updatedAt: optionalDate(output.updatedAt),
    deletedAt: optionalDate(output.deletedAt),
    message: output.message,
    forced: output.overrides?.forced === true,
    isPrimary: output.isPrimary,
    arn: output.imageSetArn,
    latestVersionId: askedForLatest ? versionId : undefined,
  });
}

export function toVersionRecord(datastoreId: string, item: ImageSetProperties): ImageSetVersionRecord {
  // The model spells this one member with a capital I; accept the usual spelling as well in case
  // a future model fixes it.
  const loose = item as ImageSetProperties & { imageSetWorkflowStatus?: string };
  return defined({
    datastoreId,
    imageSetId: required(item.imageSetId, 'imageSetId'),
    versionId: required(item.versionId, 'versionId'),
    state: required(item.imageSetState, 'imageSetState'),
    workflowStatus: item.ImageSetWorkflowStatus ?? loose.imageSetWorkflowStatus,
    createdAt: optionalDate(item.createdAt),
    updatedAt: optionalDate(item.updatedAt),
    deletedAt: optionalDate(item.deletedAt),
    message: item.message,
    forced: item.overrides?.forced === true,
    isPrimary: item.isPrimary,
  });
}

export function toSearchSummaryRecord(datastoreId: string, summary: ImageSetsMetadataSummary): SearchSummaryRecord {
  const tags = summary.DICOMTags ?? {};
  return defined({
    datastoreId,
    imageSetId: required(summary.imageSetId, 'imageSetId'),
    versionId: summary.version === undefined ? '' : String(Math.trunc(summary.version)),
    createdAt: optionalDate(summary.createdAt),
    updatedAt: optionalDate(summary.updatedAt),
    isPrimary: summary.isPrimary,
    dicomTags: defined({
      patientId: tags.DICOMPatientId,
      patientName: tags.DICOMPatientName,
      patientBirthDate: tags.DICOMPatientBirthDate,
      patientSex: tags.DICOMPatientSex,
      studyInstanceUid: tags.DICOMStudyInstanceUID,
      studyId: tags.DICOMStudyId,
      studyDescription: tags.DICOMStudyDescription,
      numberOfStudyRelatedSeries: tags.DICOMNumberOfStudyRelatedSeries,
      numberOfStudyRelatedInstances: tags.DICOMNumberOfStudyRelatedInstances,
      accessionNumber: tags.DICOMAccessionNumber,
      seriesInstanceUid: tags.DICOMSeriesInstanceUID,
      seriesModality: tags.DICOMSeriesModality,
      seriesBodyPart: tags.DICOMSeriesBodyPart,
      seriesNumber: tags.DICOMSeriesNumber,
      studyDate: tags.DICOMStudyDate,
      studyTime: tags.DICOMStudyTime,
    }),
  });
}

function toCopySide(
  side: CopySourceImageSetProperties | CopyDestinationImageSetProperties | undefined,
  label: string,
): CopySideRecord {
  if (!side) throw new Error(`HealthImaging omitted the required field ${label}.`);
  return defined({
    imageSetId: required(side.imageSetId, `${label}.imageSetId`),
    latestVersionId: required(side.latestVersionId, `${label}.latestVersionId`),
    state: side.imageSetState,
    workflowStatus: side.imageSetWorkflowStatus,
    createdAt: optionalDate(side.createdAt),
    updatedAt: optionalDate(side.updatedAt),
    arn: side.imageSetArn,
  });
}

export function toCopyResultRecord(output: CopyImageSetResponse): CopyResultRecord {
  return {
    datastoreId: required(output.datastoreId, 'datastoreId'),
    source: toCopySide(output.sourceImageSetProperties, 'sourceImageSetProperties'),
    destination: toCopySide(output.destinationImageSetProperties, 'destinationImageSetProperties'),
  };
}

export function toUpdateResultRecord(output: UpdateImageSetMetadataResponse): UpdateResultRecord {
  return defined({
    datastoreId: required(output.datastoreId, 'datastoreId'),
    imageSetId: required(output.imageSetId, 'imageSetId'),
    latestVersionId: required(output.latestVersionId, 'latestVersionId'),
    state: required(output.imageSetState, 'imageSetState'),
    workflowStatus: output.imageSetWorkflowStatus,
    createdAt: optionalDate(output.createdAt),
    updatedAt: optionalDate(output.updatedAt),
    message: output.message,
  });
}

export function toDeleteResultRecord(output: DeleteImageSetResponse): DeleteResultRecord {
  return {
    datastoreId: required(output.datastoreId, 'datastoreId'),
    imageSetId: required(output.imageSetId, 'imageSetId'),
    state: required(output.imageSetState, 'imageSetState'),
    workflowStatus: required(output.imageSetWorkflowStatus, 'imageSetWorkflowStatus'),
  };
}
