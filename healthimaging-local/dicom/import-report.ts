import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * The files an import job leaves under its output prefix (reference section 4.5):
 * `<outputS3Uri>/<datastoreId>-DicomImport-<jobId>/job-output-manifest.json`,
 * `SUCCESS/success.ndjson` and `FAILURE/failure.ndjson`.
 */
export interface SuccessLine {
  inputFile: string;
  importResponse: { imageSetId: string; isPrimary: boolean };
}

export interface FailureLine {
  inputFile: string;
  exception: { exceptionType: 'ValidationException' | 'InternalServerException'; message: string };
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

export function jobFolderName(datastoreId: string, jobId: string): string {
  return `${datastoreId}-DicomImport-${jobId}`;
}

const withSlash = (uri: string): string => (uri.endsWith('/') ? uri : `${uri}/`);

/** The object key of an input file: the input prefix's key part plus its relative path. */
export function inputFileKey(inputS3Uri: string, relativePath: string): string {
  const match = /^s3:\/\/[^/]+\/?(.*)$/.exec(inputS3Uri);
  const prefix = match ? match[1] : '';
  return `${prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix}${relativePath}`;
}

export async function writeImportReport(
  where: ReportLocation,
  counts: JobCounts,
  imageSetsSummary: ImageSetSummary[],
  successes: SuccessLine[],
  failures: FailureLine[],
): Promise<string> {
  const folder = jobFolderName(where.datastoreId, where.jobId);
  const jobUri = `${withSlash(where.outputS3Uri)}${folder}/`;
  const dir = path.join(where.outputDir, folder);
  await fs.mkdir(path.join(dir, 'SUCCESS'), { recursive: true });
  await fs.mkdir(path.join(dir, 'FAILURE'), { recursive: true });
  const ndjson = (lines: object[]): string => lines.map((line) => `${JSON.stringify(line)}\n`).join('');
  await fs.writeFile(path.join(dir, 'SUCCESS', 'success.ndjson'), ndjson(successes));
  await fs.writeFile(path.join(dir, 'FAILURE', 'failure.ndjson'), ndjson(failures));
  const manifest = {
    jobSummary: {
      jobId: where.jobId,
      datastoreId: where.datastoreId,
      inputS3Uri: where.inputS3Uri,
      outputS3Uri: jobUri,
      successOutputS3Uri: `${jobUri}SUCCESS/`,
      failureOutputS3Uri: `${jobUri}FAILURE/`,
      warningsOutputS3Uri: `${jobUri}WARNING/`,
      ...counts,
      imageSetsSummary,
    },
  };
  await fs.writeFile(path.join(dir, 'job-output-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}
