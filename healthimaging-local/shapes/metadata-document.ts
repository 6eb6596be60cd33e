/**
 * The image set metadata document (docs/healthimaging-behaviour.md#metadata-document): what
 * GetImageSetMetadata returns after gunzip, and what update, copy and import produce. Keys under
 * `DICOM` are DICOM keywords, or 8-hex-digit tags for private / unknown elements (their VR in
 * `DICOMVRs`).
 */
export type DicomAttributes = Record<string, unknown>;

export interface DicomLevel {
  DICOM: DicomAttributes;
}

export interface FrameChecksum {
  Width: number;
  Height: number;
  Checksum: number;
}

export interface ImageFrameEntry {
  /** 32 lowercase hex chars: the imageFrameId of GetImageFrame. */
  ID: string;
  PixelDataChecksumFromBaseToFullResolution: FrameChecksum[];
  MinPixelValue?: number;
  MaxPixelValue?: number;
  FrameSizeInBytes: number;
}

export interface InstanceNode {
  DICOM: DicomAttributes;
  DICOMVRs?: Record<string, string>;
  StoredTransferSyntaxUID: string;
  ChecksumType?: string;
  ImageFrames: ImageFrameEntry[];
}

export interface SeriesNode {
  DICOM: DicomAttributes;
  Instances: Record<string, InstanceNode>;
}

export interface MetadataDocument {
  SchemaVersion: string;
  DatastoreID: string;
  ImageSetID: string;
  Patient: DicomLevel;
  Study: DicomLevel & { Series: Record<string, SeriesNode> };
}

/** Every frame id referenced by a document, in document order. */
export function frameIdsOf(doc: MetadataDocument): string[] {
  const ids: string[] = [];
  for (const series of Object.values(doc.Study.Series)) {
    for (const instance of Object.values(series.Instances)) {
      for (const frame of instance.ImageFrames) ids.push(frame.ID);
    }
  }
  return ids;
}
