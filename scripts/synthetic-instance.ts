import { denaturalizeDataset, writeP10, type NaturalDataset } from '../healthimaging-local/dicom/dcmjs';

/**
 * Encodes one synthetic SOP instance as DICOM Part 10 (explicit VR little endian) with dcmjs.
 * The caller supplies a naturalized data set (keywords -> values); private elements, which
 * dcmjs's naturalized form cannot name, are given by tag with their VR.
 */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const IMPLEMENTATION_CLASS_UID = '2.25.181589133913178553297227045658315113987';
export const IMPLEMENTATION_VERSION_NAME = 'HIL_SYNTH_1';

export interface PrivateElement {
  tag: string;
  vr: string;
  value: string | number;
}

/** `transferSyntaxUid` only labels the file meta: pixel data given as fragments is written encapsulated as is. */
export function encodeInstance(
  dataset: NaturalDataset,
  privateElements: PrivateElement[] = [],
  transferSyntaxUid = EXPLICIT_VR_LITTLE_ENDIAN,
): Buffer {
  const sopClassUid = dataset.SOPClassUID as string;
  const sopInstanceUid = dataset.SOPInstanceUID as string;
  const meta = denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  });
  const dict = denaturalizeDataset(dataset);
  for (const element of privateElements) dict[element.tag] = { vr: element.vr, Value: [element.value] };
  return writeP10(meta, dict);
}
