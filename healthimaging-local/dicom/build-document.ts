import type { DicomAttributes, InstanceNode, MetadataDocument, SeriesNode } from '../shapes/metadata-document';
import { frameFacts, type FrameFacts, type PixelFrame } from './pixel-frames';
import type { InstanceHeader } from './read-instance';
import { isNativeSyntax } from './transfer-syntax';

/**
 * Builds metadata documents (docs/healthimaging-behaviour.md#metadata-document) from imported
 * instances. An instance is first reduced to a PreparedInstance (its frames stored elsewhere, only
 * their ids and checksums kept), so a job holds metadata, not pixels, while it groups files.
 */
export interface PreparedInstance {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  patient: DicomAttributes;
  study: DicomAttributes;
  series: DicomAttributes;
  node: InstanceNode;
}

export const SCHEMA_VERSION = '1.1';

/**
 * Native frames are served exactly as decoded pixels, so their CRC is a checksum of the
 * decompressed frame, as the service reports it. Encapsulated frames are kept as stored (no
 * codec here), so their checksum covers the encoded bytes, and the document says so.
 */
export function checksumType(transferSyntaxUid: string): string {
  return isNativeSyntax(transferSyntaxUid) ? 'DECOMPRESSED' : 'ENCODED';
}

/**
 * The instance node of a read file, given the ids its frames were stored under (frame order).
 * Frames come either whole (a file read in memory) or as the facts a streamed read gathered.
 */
export function prepareInstance(
  parsed: InstanceHeader & { frames: ReadonlyArray<PixelFrame | FrameFacts> },
  frameIds: string[],
): PreparedInstance {
  const node: InstanceNode = {
    DICOM: parsed.instance,
    DICOMVRs: parsed.vrs,
    StoredTransferSyntaxUID: parsed.transferSyntaxUid,
    ChecksumType: checksumType(parsed.transferSyntaxUid),
    ImageFrames: parsed.frames.map((given, i) => {
      const frame = 'bytes' in given ? frameFacts(given) : given;
      const id = frameIds[i];
      if (id === undefined) throw new Error(`frame ${i + 1} of an instance was stored without an id`);
      return {
        ID: id,
        PixelDataChecksumFromBaseToFullResolution: [
          { Width: frame.width, Height: frame.height, Checksum: frame.checksum },
        ],
        ...(frame.minPixelValue !== undefined ? { MinPixelValue: frame.minPixelValue } : {}),
        ...(frame.maxPixelValue !== undefined ? { MaxPixelValue: frame.maxPixelValue } : {}),
        FrameSizeInBytes: frame.sizeInBytes,
      };
    }),
  };
  return {
    studyInstanceUid: parsed.studyInstanceUid,
    seriesInstanceUid: parsed.seriesInstanceUid,
    sopInstanceUid: parsed.sopInstanceUid,
    patient: parsed.patient,
    study: parsed.study,
    series: parsed.series,
    node,
  };
}

/**
 * Adds instances to a document, later ones winning: Patient, Study and Series attributes are
 * overlaid, and an instance whose SOP Instance UID is already present replaces it (a re-import
 * overwrites). The base document is not mutated; untouched instance nodes are shared.
 */
export function mergeInstances(base: MetadataDocument, instances: PreparedInstance[]): MetadataDocument {
  const patient: DicomAttributes = { ...base.Patient.DICOM };
  const study: DicomAttributes = { ...base.Study.DICOM };
  const series: Record<string, SeriesNode> = {};
  for (const [uid, node] of Object.entries(base.Study.Series)) {
    series[uid] = { DICOM: { ...node.DICOM }, Instances: { ...node.Instances } };
  }
  for (const instance of instances) {
    Object.assign(patient, instance.patient);
    Object.assign(study, instance.study);
    const node = (series[instance.seriesInstanceUid] ??= { DICOM: {}, Instances: {} });
    Object.assign(node.DICOM, instance.series);
    node.Instances[instance.sopInstanceUid] = instance.node;
  }
  return {
    SchemaVersion: SCHEMA_VERSION,
    DatastoreID: base.DatastoreID,
    ImageSetID: base.ImageSetID,
    Patient: { DICOM: patient },
    Study: { DICOM: study, Series: series },
  };
}

/** A fresh document holding the given instances (all of one series). */
export function newDocument(datastoreId: string, imageSetId: string, instances: PreparedInstance[]): MetadataDocument {
  return mergeInstances(
    {
      SchemaVersion: SCHEMA_VERSION,
      DatastoreID: datastoreId,
      ImageSetID: imageSetId,
      Patient: { DICOM: {} },
      Study: { DICOM: {}, Series: {} },
    },
    instances,
  );
}
