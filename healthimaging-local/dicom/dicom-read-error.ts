/**
 * Why a file could not be imported. Messages describe the problem in general terms and never
 * quote element values, so they are safe for FAILURE lines and logs (no patient data).
 */
export type DicomReadProblem = 'NOT_DICOM' | 'TRUNCATED' | 'MALFORMED' | 'MISSING_ATTRIBUTE' | 'UNSUPPORTED_PIXEL_DATA';

export class DicomReadError extends Error {
  constructor(
    readonly problem: DicomReadProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DicomReadError';
  }
}
