/**
 * Transfer syntax facts the import needs: whether pixel data is native (uncompressed, one
 * contiguous value) or encapsulated (fragments), and the GetImageFrame content type of frames
 * stored in that syntax (docs/healthimaging-behaviour.md#frames; frames are kept as stored, not
 * transcoded).
 */
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';

const NATIVE = new Set([
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
]);

export function isNativeSyntax(transferSyntaxUid: string): boolean {
  return NATIVE.has(transferSyntaxUid);
}

const CONTENT_TYPES: Record<string, string> = {
  '1.2.840.10008.1.2.4.202': 'image/jph', // HTJ2K with RPCL options
  '1.2.840.10008.1.2.4.201': 'image/jph', // HTJ2K lossless
  '1.2.840.10008.1.2.4.203': 'image/jphc', // HTJ2K
  '1.2.840.10008.1.2.4.90': 'image/j2c', // JPEG 2000 lossless
  '1.2.840.10008.1.2.4.91': 'image/j2c', // JPEG 2000
  '1.2.840.10008.1.2.4.50': 'image/jpeg', // JPEG baseline
  '1.2.840.10008.1.2.4.51': 'image/jpeg', // JPEG extended
  '1.2.840.10008.1.2.4.57': 'image/jpeg', // JPEG lossless
  '1.2.840.10008.1.2.4.70': 'image/jpeg', // JPEG lossless SV1
  '1.2.840.10008.1.2.4.110': 'image/jxl', // JPEG XL lossless
  '1.2.840.10008.1.2.4.111': 'image/jxl', // JPEG XL recompression
  '1.2.840.10008.1.2.4.112': 'image/jxl', // JPEG XL
  '1.2.840.10008.1.2.4.100': 'video/mpeg', // MPEG2 MP@ML
  '1.2.840.10008.1.2.4.101': 'video/mpeg', // MPEG2 MP@HL
  '1.2.840.10008.1.2.4.102': 'video/mp4', // H.264 HP@L4.1
  '1.2.840.10008.1.2.4.103': 'video/mp4', // H.264 BD
  '1.2.840.10008.1.2.4.104': 'video/mp4', // H.264 HP@L4.2 2D
  '1.2.840.10008.1.2.4.105': 'video/mp4', // H.264 HP@L4.2 3D
  '1.2.840.10008.1.2.4.106': 'video/mp4', // H.264 stereo
  '1.2.840.10008.1.2.4.107': 'video/H256', // HEVC main (the model spells it H256)
  '1.2.840.10008.1.2.4.108': 'video/H256', // HEVC main 10
};

/**
 * False for an encapsulated syntax this table does not know (RLE, JPEG-LS, ...): its frames can
 * only be served as opaque bytes, which the import reports as UNSUPPORTED_TRANSFER_SYNTAX.
 */
export function hasFrameFormat(transferSyntaxUid: string): boolean {
  return isNativeSyntax(transferSyntaxUid) || CONTENT_TYPES[transferSyntaxUid] !== undefined;
}

/** The Content-Type GetImageFrame answers with for frames stored in this transfer syntax. */
export function frameContentType(transferSyntaxUid: string): string {
  return CONTENT_TYPES[transferSyntaxUid] ?? 'application/octet-stream';
}
