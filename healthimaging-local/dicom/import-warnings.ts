/**
 * Warnings an import attaches to a file it did import (WARNING/warning.ndjson), with the reason
 * codes and types of the service's published table ("HealthImaging Warning Codes" in the developer
 * guide). Only the conditions this importer can actually meet are listed: it never transcodes, so
 * TRANSCODING_EXCEPTION never applies.
 */
export interface ImportWarning {
  /** The reason code in decimal, as the table lists it next to the hexadecimal form. */
  warning_reason_code: number;
  type: string;
  message: string;
}

/** 0xB000: text was decoded with a fallback because the declared Specific Character Set could not be honoured. */
export function coercionOfDataElements(): ImportWarning {
  return {
    warning_reason_code: 0xb000,
    type: 'COERCION_OF_DATA_ELEMENTS',
    message:
      'The declared Specific Character Set could not be applied exactly; text values were decoded with its first character set.',
  };
}

/** 0xB120: an encapsulated transfer syntax without a known frame format; the frames are kept as opaque blobs. */
export function unsupportedTransferSyntax(): ImportWarning {
  return {
    warning_reason_code: 0xb120,
    type: 'UNSUPPORTED_TRANSFER_SYNTAX',
    message:
      'The transfer syntax is not one HealthImaging serves frames for; the pixel data is stored as application/octet-stream.',
  };
}
