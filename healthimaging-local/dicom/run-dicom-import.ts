import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { MetadataDocument } from '../model/metadata-document';
import { newResourceId } from '../model/ids';
import { mergeInstances, newDocument, prepareInstance, type PreparedInstance } from './build-document';
import { DicomReadError } from './dicom-read-error';
import { documentSignature, groupingSignature } from './grouping-keys';
import type { ImportTarget } from './import-target';
import {
  inputFileKey,
  writeImportReport,
  type FailureLine,
  type ImageSetSummary,
  type SuccessLine,
} from './import-report';
import { listInputFiles } from './list-input-files';
import { readDicomInstance, type ParsedInstance } from './read-instance';
import { frameContentType } from './transfer-syntax';

/**
 * One StartDICOMImportJob run (reference section 4.5): read every file under the input prefix,
 * group instances by study, series and grouping keys, write primary / non-primary image sets and
 * the job's manifest and ndjson reports. A bad file becomes a FAILURE line, never a failed job;
 * only a store or file-system failure rejects the returned promise.
 *
 * Files are read a few at a time ahead of the parser but parsed in order, so "later wins" is
 * deterministic; each image set's document is built once per job.
 */
export interface DicomImportJob {
  datastoreId: string;
  jobId: string;
  inputDir: string;
  outputDir: string;
  inputS3Uri: string;
  outputS3Uri: string;
  target: ImportTarget;
}

export interface DicomImportResult {
  numberOfScannedFiles: number;
  numberOfImportedFiles: number;
  numberOfFilesWithCustomerError: number;
  numberOfGeneratedImageSets: number;
}

const READ_AHEAD = 8;
const FRAME_BATCH_COUNT = 512;
const FRAME_BATCH_BYTES = 32 * 1024 * 1024;

interface InstanceGroup {
  instances: PreparedInstance[];
  inputFiles: string[];
}

interface SeriesBucket {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  existing?: { imageSetId: string; document: MetadataDocument };
  primarySignature?: string;
  primary: InstanceGroup;
  nonPrimary: Map<string, InstanceGroup>;
}

class FrameBatcher {
  private pending: Array<{ id: string; bytes: Buffer; contentType: string }> = [];
  private bytes = 0;
  constructor(
    private readonly target: ImportTarget,
    private readonly datastoreId: string,
  ) {}

  add(frame: { id: string; bytes: Buffer; contentType: string }): void {
    this.pending.push(frame);
    this.bytes += frame.bytes.length;
    if (this.pending.length >= FRAME_BATCH_COUNT || this.bytes >= FRAME_BATCH_BYTES) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.target.putFrames(this.datastoreId, this.pending);
    this.pending = [];
    this.bytes = 0;
  }
}

function failureMessage(inputFile: string, error: unknown): FailureLine['exception'] {
  if (error instanceof DicomReadError) {
    return { exceptionType: 'ValidationException', message: `${inputFile}: ${error.message}` };
  }
  return { exceptionType: 'InternalServerException', message: `${inputFile}: the file could not be processed` };
}

export async function runDicomImport(job: DicomImportJob): Promise<DicomImportResult> {
  const { datastoreId, target } = job;
  const files = await listInputFiles(job.inputDir);
  const frames = new FrameBatcher(target, datastoreId);
  const buckets = new Map<string, SeriesBucket>();
  const failures: FailureLine[] = [];
  let customerErrors = 0;
  let serverErrors = 0;

  const readAt = (i: number): Promise<Buffer | Error> =>
    fs.readFile(path.join(job.inputDir, ...files[i].split('/'))).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  const inFlight: Array<Promise<Buffer | Error>> = [];
  for (let i = 0; i < Math.min(READ_AHEAD, files.length); i++) inFlight.push(readAt(i));

  for (let i = 0; i < files.length; i++) {
    const bytes = await inFlight[i];
    if (i + READ_AHEAD < files.length) inFlight.push(readAt(i + READ_AHEAD));
    delete inFlight[i];
    const inputFile = inputFileKey(job.inputS3Uri, files[i]);
    let parsed: ParsedInstance;
    try {
      if (bytes instanceof Error) throw bytes;
      parsed = readDicomInstance(bytes);
    } catch (error) {
      if (error instanceof DicomReadError) customerErrors++;
      else serverErrors++;
      failures.push({ inputFile, exception: failureMessage(inputFile, error) });
      continue;
    }
    // Store failures from here on are the job's, not the file's: they reject the job.
    const contentType = frameContentType(parsed.transferSyntaxUid);
    const frameIds = parsed.frames.map((frame) => {
      const id = newResourceId();
      frames.add({ id, bytes: frame.bytes, contentType });
      return id;
    });
    const prepared = prepareInstance(parsed, frameIds);
    const bucket = bucketFor(buckets, prepared, job);
    const signature = groupingSignature(prepared);
    bucket.primarySignature ??= signature;
    const group =
      signature === bucket.primarySignature
        ? bucket.primary
        : mapGet(bucket.nonPrimary, signature, () => ({ instances: [], inputFiles: [] }));
    group.instances.push(prepared);
    group.inputFiles.push(inputFile);
  }
  frames.flush();

  const successes: SuccessLine[] = [];
  const summaries: ImageSetSummary[] = [];
  const record = (group: InstanceGroup, imageSetId: string, version: number, isPrimary: boolean): void => {
    for (const inputFile of group.inputFiles) successes.push({ inputFile, importResponse: { imageSetId, isPrimary } });
    summaries.push({
      imageSetId,
      imageSetVersion: version,
      isPrimary,
      numberOfMatchedSOPInstances: new Set(group.instances.map((i) => i.sopInstanceUid)).size,
    });
  };

  for (const bucket of buckets.values()) {
    if (bucket.primary.instances.length > 0) {
      if (bucket.existing) {
        const document = mergeInstances(bucket.existing.document, bucket.primary.instances);
        const { versionId } = target.appendImportedVersion(datastoreId, bucket.existing.imageSetId, document);
        record(bucket.primary, bucket.existing.imageSetId, Number(versionId), true);
      } else {
        const imageSetId = newResourceId();
        target.createImageSet(datastoreId, imageSetId, newDocument(datastoreId, imageSetId, bucket.primary.instances), true);
        record(bucket.primary, imageSetId, 1, true);
      }
    }
    for (const group of bucket.nonPrimary.values()) {
      const imageSetId = newResourceId();
      target.createImageSet(datastoreId, imageSetId, newDocument(datastoreId, imageSetId, group.instances), false);
      record(group, imageSetId, 1, false);
    }
  }

  const counts = {
    numberOfScannedFiles: files.length,
    numberOfImportedFiles: successes.length,
    numberOfFilesWithCustomerError: customerErrors,
    numberOfFilesWithServerError: serverErrors,
    numberOfGeneratedImageSets: summaries.length,
  };
  await writeImportReport(job, counts, summaries, successes, failures);
  return {
    numberOfScannedFiles: counts.numberOfScannedFiles,
    numberOfImportedFiles: counts.numberOfImportedFiles,
    numberOfFilesWithCustomerError: counts.numberOfFilesWithCustomerError,
    numberOfGeneratedImageSets: counts.numberOfGeneratedImageSets,
  };
}

function mapGet<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** The bucket of an instance's series; the first time a series is seen, its primary is looked up. */
function bucketFor(buckets: Map<string, SeriesBucket>, instance: PreparedInstance, job: DicomImportJob): SeriesBucket {
  const key = `${instance.studyInstanceUid}/${instance.seriesInstanceUid}`;
  return mapGet(buckets, key, () => {
    const existing = job.target.findPrimary(job.datastoreId, instance.studyInstanceUid, instance.seriesInstanceUid);
    return {
      studyInstanceUid: instance.studyInstanceUid,
      seriesInstanceUid: instance.seriesInstanceUid,
      existing,
      primarySignature: existing ? documentSignature(existing.document, instance.seriesInstanceUid) : undefined,
      primary: { instances: [], inputFiles: [] },
      nonPrimary: new Map(),
    };
  });
}
