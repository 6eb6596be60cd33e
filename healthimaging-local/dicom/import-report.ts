import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ImportWarning } from './import-warnings';

/**
 * The files an import job leaves under its output prefix (the layout AWS writes):
 * `<outputS3Uri>/<datastoreId>-DicomImport-<jobId>/job-output-manifest.json`,
 * `SUCCESS/success.ndjson`, `FAILURE/failure.ndjson` and `WARNING/warning.ndjson`.
 */
export interface SuccessLine {
  inputFile: string;
  importResponse: { imageSetId: string; isPrimary: boolean };
}

/** A file that was imported with warnings: its success line plus the version it landed in. */
export interface WarningLine {
  inputFile: string;
  importResponse: { imageSetId: string; imageSetVersion: number; isPrimary: boolean };
  warnings: ImportWarning[];
}

export interface FailureLine {
  inputFile: string;
  exception: {
    exceptionType: 'ValidationException' | 'ConflictException' | 'InternalServerException';
    message: string;
  };
}

export interface ImageSetSummary {
  imageSetId: string;
  imageSetVersion: number;
  isPrimary: boolean;
  numberOfMatchedSOPInstances: number;
}

export interface JobCounts {
  numberOfScannedFiles: number;
  numberOfImportedFiles: number;
  numberOfFilesWithCustomerError: number;
  numberOfFilesWithServerError: number;
  numberOfGeneratedImageSets: number;
}

export interface ReportLocation {
  datastoreId: string;
  jobId: string;
  inputS3Uri: string;
  outputS3Uri: string;
  outputDir: string;
}

export interface ImportReport {
  counts: JobCounts;
  imageSetsSummary: ImageSetSummary[];
  successes: SuccessLine[];
  warnings: WarningLine[];
  failures: FailureLine[];
}

export function jobFolderName(datastoreId: string, jobId: string): string {
  return `${datastoreId}-DicomImport-${jobId}`;
}

const withSlash = (uri: string): string => (uri.endsWith('/') ? uri : `${uri}/`);

/**
 * The object key of an input file: the input prefix up to its last `/` (the folder the listing
 * walked) plus the file's path below that folder.
 */
export function inputFileKey(inputS3Uri: string, relativePath: string): string {
  const prefix = /^s3:\/\/[^/]+\/?(.*)$/.exec(inputS3Uri)?.[1] ?? '';
  return `${prefix.slice(0, prefix.lastIndexOf('/') + 1)}${relativePath}`;
}

/**
 * Writes the job's report files. Synchronous on purpose: the importer writes them and commits the
 * image sets they describe in one turn of the event loop, so no request can change those image
 * sets in between. Returns the job folder.
 */
export function writeImportReport(where: ReportLocation, report: ImportReport): string {
  const folder = jobFolderName(where.datastoreId, where.jobId);
  const jobUri = `${withSlash(where.outputS3Uri)}${folder}/`;
  const dir = path.join(where.outputDir, folder);
  const ndjson = (lines: object[]): string => lines.map((line) => `${JSON.stringify(line)}\n`).join('');
  const files: Array<[string, string, object[]]> = [
    ['SUCCESS', 'success.ndjson', report.successes],
    ['FAILURE', 'failure.ndjson', report.failures],
    ['WARNING', 'warning.ndjson', report.warnings],
  ];
  for (const [sub, name, lines] of files) {
    mkdirSync(path.join(dir, sub), { recursive: true });
    writeFileSync(path.join(dir, sub, name), ndjson(lines));
  }
  const manifest = {
    jobSummary: {
      jobId: where.jobId,
      datastoreId: where.datastoreId,
      inputS3Uri: where.inputS3Uri,
      outputS3Uri: jobUri,
      successOutputS3Uri: `${jobUri}SUCCESS/`,
      failureOutputS3Uri: `${jobUri}FAILURE/`,
      warningsOutputS3Uri: `${jobUri}WARNING/`,
      ...report.counts,
      imageSetsSummary: report.imageSetsSummary,
    },
  };
  writeFileSync(path.join(dir, 'job-output-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}
