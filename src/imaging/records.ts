/**
 * The gateway's own records of upstream resources. `src/imaging/` maps SDK shapes to these, so
 * nothing above it sees an SDK type, and field names are normalised (one `workflowStatus`, version
 * ids always decimal strings, timestamps as Dates).
 */

export interface DatastoreRecord {
  datastoreId: string;
  name: string;
  status: string;
  arn?: string | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
}

/** One version of an image set, as GetImageSet or a ListImageSetVersions item describes it. */
export interface ImageSetVersionRecord {
  datastoreId: string;
  imageSetId: string;
  versionId: string;
  state: string;
  workflowStatus?: string | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
  deletedAt?: Date | undefined;
  message?: string | undefined;
  forced: boolean;
  isPrimary?: boolean | undefined;
}

/** GetImageSet output: the version asked for (or the latest) plus the image set's own facts. */
export interface ImageSetRecord extends ImageSetVersionRecord {
  arn?: string | undefined;
  /** The latest version id when `versionId` was the latest; otherwise not known from this call. */
  latestVersionId?: string | undefined;
}

export interface SearchSummaryRecord {
  datastoreId: string;
  imageSetId: string;
  /** The latest version, as a decimal string (upstream sends an integer here). */
  versionId: string;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
  isPrimary?: boolean | undefined;
  dicomTags: {
    patientId?: string | undefined;
    patientName?: string | undefined;
    patientBirthDate?: string | undefined;
    patientSex?: string | undefined;
    studyInstanceUid?: string | undefined;
    studyId?: string | undefined;
    studyDescription?: string | undefined;
    numberOfStudyRelatedSeries?: number | undefined;
    numberOfStudyRelatedInstances?: number | undefined;
    accessionNumber?: string | undefined;
    seriesInstanceUid?: string | undefined;
    seriesModality?: string | undefined;
    seriesBodyPart?: string | undefined;
    seriesNumber?: number | undefined;
    studyDate?: string | undefined;
    studyTime?: string | undefined;
  };
}

/** One page of a forward-only upstream listing. */
export interface UpstreamPage<T> {
  items: T[];
  nextToken?: string | undefined;
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
            DICOMVRs?: Record<string, string> | undefined;
            StoredTransferSyntaxUID?: string | undefined;
            ImageFrames?: Array<{
              ID: string;
              PixelDataChecksumFromBaseToFullResolution?: Array<{ Width: number; Height: number; Checksum?: number }>;
              FrameSizeInBytes?: number | undefined;
            }>;
          }
        >;
      }
    >;
  };
}

export interface SearchCriteriaInput {
  patientId?: string | undefined;
  accessionNumber?: string | undefined;
  studyId?: string | undefined;
  studyInstanceUid?: string | undefined;
  seriesInstanceUid?: string | undefined;
  isPrimary?: boolean | undefined;
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
  state?: string | undefined;
  workflowStatus?: string | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
  arn?: string | undefined;
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
  workflowStatus?: string | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
  message?: string | undefined;
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
  Patient?: { DICOM: Record<string, unknown> } | undefined;
  Study?: {
    DICOM?: Record<string, unknown> | undefined;
    Series?: Record<
      string,
      {
        DICOM?: Record<string, unknown> | undefined;
        Instances?: Record<string, { DICOM?: Record<string, unknown>; DICOMVRs?: Record<string, string> }>;
      }
    >;
  };
}
