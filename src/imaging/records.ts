/**
 * The gateway's own records of upstream resources. `src/imaging/` maps SDK shapes to these, so
 * nothing above it sees an SDK type, and field names are normalised (one `workflowStatus`, version
 * ids always decimal strings, timestamps as Dates).
 */

export interface DatastoreRecord {
  datastoreId: string;
  name: string;
  status: string;
  arn?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** One version of an image set, as GetImageSet or a ListImageSetVersions item describes it. */
export interface ImageSetVersionRecord {
  datastoreId: string;
  imageSetId: string;
  versionId: string;
  state: string;
  workflowStatus?: string;
  createdAt?: Date;
  updatedAt?: Date;
  deletedAt?: Date;
  message?: string;
  forced: boolean;
  isPrimary?: boolean;
}

/** GetImageSet output: the version asked for (or the latest) plus the image set's own facts. */
export interface ImageSetRecord extends ImageSetVersionRecord {
  arn?: string;
  /** The latest version id when `versionId` was the latest; otherwise not known from this call. */
  latestVersionId?: string;
}

export interface SearchSummaryRecord {
  datastoreId: string;
  imageSetId: string;
  /** The latest version, as a decimal string (upstream sends an integer here). */
  versionId: string;
  createdAt?: Date;
  updatedAt?: Date;
  isPrimary?: boolean;
  dicomTags: {
    patientId?: string;
    patientName?: string;
    patientBirthDate?: string;
    patientSex?: string;
    studyInstanceUid?: string;
    studyId?: string;
    studyDescription?: string;
    numberOfStudyRelatedSeries?: number;
    numberOfStudyRelatedInstances?: number;
    accessionNumber?: string;
    seriesInstanceUid?: string;
    seriesModality?: string;
    seriesBodyPart?: string;
    seriesNumber?: number;
    studyDate?: string;
    studyTime?: string;
  };
}

/** One page of a forward-only upstream listing. */
export interface UpstreamPage<T> {
  items: T[];
  nextToken?: string;
}

/** The decoded metadata document (docs/healthimaging-behaviour.md#metadata-document). */
export interface MetadataDocument {
  SchemaVersion: string;
  DatastoreID: string;
  ImageSetID: string;
  Patient: { DICOM: Record<string, unknown> };
  Study: {
    DICOM: Record<string, unknown>;
    Series: Record<
      string,
      {
        DICOM: Record<string, unknown>;
        Instances: Record<
          string,
          {
            DICOM: Record<string, unknown>;
            DICOMVRs?: Record<string, string>;
            StoredTransferSyntaxUID?: string;
            ImageFrames?: Array<{
              ID: string;
              PixelDataChecksumFromBaseToFullResolution?: Array<{ Width: number; Height: number; Checksum?: number }>;
              FrameSizeInBytes?: number;
            }>;
          }
        >;
      }
    >;
  };
}

export interface SearchCriteriaInput {
  patientId?: string;
  accessionNumber?: string;
  studyId?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  isPrimary?: boolean;
  /** Inclusive range; dates as YYYYMMDD. */
  studyDate?: { from: string; to: string };
  updatedAt?: { from: Date; to: Date };
  createdAt?: { from: Date; to: Date };
  sort?: { field: 'updatedAt' | 'createdAt' | 'DICOMStudyDateAndTime'; order: 'ASC' | 'DESC' };
}

/** Properties of one side of a copy, as CopyImageSet answers them. */
export interface CopySideRecord {
  imageSetId: string;
  latestVersionId: string;
  state?: string;
  workflowStatus?: string;
  createdAt?: Date;
  updatedAt?: Date;
  arn?: string;
}

export interface CopyResultRecord {
  datastoreId: string;
  source: CopySideRecord;
  destination: CopySideRecord;
}

export interface UpdateResultRecord {
  datastoreId: string;
  imageSetId: string;
  latestVersionId: string;
  state: string;
  workflowStatus?: string;
  createdAt?: Date;
  updatedAt?: Date;
  message?: string;
}

export interface DeleteResultRecord {
  datastoreId: string;
  imageSetId: string;
  state: string;
  workflowStatus: string;
}

/**
 * A metadata change document per level (docs/healthimaging-behaviour.md#update-documents), before
 * it is JSON- and base64-encoded.
 */
export interface MetadataChangeDocument {
  SchemaVersion: string;
  Patient?: { DICOM: Record<string, unknown> };
  Study?: {
    DICOM?: Record<string, unknown>;
    Series?: Record<
      string,
      {
        DICOM?: Record<string, unknown>;
        Instances?: Record<string, { DICOM?: Record<string, unknown>; DICOMVRs?: Record<string, string> }>;
      }
    >;
  };
}
