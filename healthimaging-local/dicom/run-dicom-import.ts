import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { newResourceId } from '../shapes/ids';
import type { MetadataDocument } from '../shapes/metadata-document';
import { mergeInstances, newDocument, prepareInstance } from './build-document';
import { DicomReadError } from './dicom-read-error';
import { groupingSignature } from './grouping-keys';
import { planImport, type ImportPlan, type InstanceGroup, type PlannedWrite, type SeriesBucket } from './import-plan';
import { DEFAULT_IMPORT_QUOTAS, checkImportQuotas, type ImportQuotas } from './import-quotas';
import {
  inputFileKey,
  writeImportReport,
  type FailureLine,
  type ImageSetSummary,
  type ImportReport,
  type SuccessLine,
  type WarningLine,
} from './import-report';
import type { ImportTarget, StoredFrame } from './import-target';
import { unsupportedTransferSyntax } from './import-warnings';
import { listInputFiles } from './list-input-files';
import type { InstanceHeader } from './read-instance';
import { readWholeInstance, streamDicomInstance, type ReadInstance } from './stream-instance';
import { frameContentType, hasFrameFormat } from './transfer-syntax';

/**
 * One StartDICOMImportJob run (docs/healthimaging-behaviour.md#imports): read every file under the
 * input prefix, group instances by study, series and grouping keys, write primary / non-primary
 * image sets and the job's manifest and ndjson reports. A bad file becomes a FAILURE line, never a
 * failed job; only a quota (ImportJobRejected) or a store / file-system failure rejects the
 * returned promise.
 *
 * Files are parsed in order, so "later wins" is deterministic. Small files are read whole a few at
 * a time ahead of the parser; larger ones are streamed (stream-instance: the data set from a
 * bounded read, then the frames a chunk at a time), so a job holds about one frame and a batch of
 * frames waiting for the store, never a whole large file. Frames are stored as they are read,
 * metadata is held until the end. Then the
 * image sets are written in one transaction: when a primary image set the job adds to is LOCKED by
 * an Update/Copy/Delete, the job waits for it (up to `lockWaitMs`), so the import lands on top of
 * that write as the next version; files whose primary stays locked fail as ConflictException lines.
 */
export interface DicomImportJob {
  datastoreId: string;
  jobId: string;
  /** The folder the input prefix's keys live in, and the name filter on its entries (see s3-paths). */
  inputDir: string;
  inputNamePrefix?: string;
  outputDir: string;
  inputS3Uri: string;
  outputS3Uri: string;
  target: ImportTarget;
  quotas?: ImportQuotas;
  /** How long to wait for a LOCKED primary image set before failing the files bound for it (default 60 s). */
  lockWaitMs?: number;
  /** Files larger than this are streamed rather than read whole (default STREAM_FILES_OVER_BYTES). */
  streamFilesOverBytes?: number;
}

export interface DicomImportResult {
  numberOfScannedFiles: number;
  numberOfImportedFiles: number;
  numberOfFilesWithCustomerError: number;
  numberOfGeneratedImageSets: number;
}

const READ_AHEAD = 8;
/** Small enough that READ_AHEAD whole files stay a few MB; most single-frame images are below it. */
export const STREAM_FILES_OVER_BYTES = 2 * 1024 * 1024;
/**
 * One synchronous store transaction, which holds the event loop while SQLite copies the bytes into
 * the WAL: 256 KB is a few milliseconds on a busy disk (8 MB was 100-300 ms), and frames larger
 * than that go one per transaction.
 */
const FRAME_BATCH_COUNT = 64;
const FRAME_BATCH_BYTES = 256 * 1024;
const DEFAULT_LOCK_WAIT_MS = 60_000;
const LOCK_POLL_MS = 25;

class FrameBatcher {
  private pending: StoredFrame[] = [];
  private bytes = 0;
  /** Every frame id this job stored, so a failed job can take its frames back. */
  readonly stored: string[] = [];

  constructor(
    private readonly target: ImportTarget,
    private readonly datastoreId: string,
  ) {}

  add(frame: StoredFrame): void {
    this.pending.push(frame);
    this.stored.push(frame.id);
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

interface ReadResult {
  buckets: Map<string, SeriesBucket>;
  failures: FailureLine[];
  customerErrors: number;
  serverErrors: number;
  /** Frames of files that failed after some of their frames were stored (a read error mid-file). */
  orphanFrames: string[];
}

function readFailure(inputFile: string, error: unknown): FailureLine['exception'] {
  if (error instanceof DicomReadError) {
    return { exceptionType: 'ValidationException', message: `${inputFile}: ${error.message}` };
  }
  return { exceptionType: 'InternalServerException', message: `${inputFile}: the file could not be processed` };
}

function mapGet<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** A file read whole ahead of the parser, one to stream when its turn comes, or why it cannot be read. */
type Source = Buffer | { stream: string } | Error;

/** Reads, parses and groups every file; stores frames as it goes. */
async function readAndGroup(job: DicomImportJob, files: string[], frames: FrameBatcher): Promise<ReadResult> {
  const result: ReadResult = { buckets: new Map(), failures: [], customerErrors: 0, serverErrors: 0, orphanFrames: [] };
  const streamOver = job.streamFilesOverBytes ?? STREAM_FILES_OVER_BYTES;
  const readAt = async (name: string): Promise<Source> => {
    const file = path.join(job.inputDir, ...name.split('/'));
    try {
      return (await fs.stat(file)).size > streamOver ? { stream: file } : await fs.readFile(file);
    } catch (e: unknown) {
      return e instanceof Error ? e : new Error(String(e));
    }
  };
  // The reads of the next READ_AHEAD files, oldest first; taking one out releases its bytes once parsed.
  const inFlight = files.slice(0, READ_AHEAD).map(readAt);

  for (const [i, name] of files.entries()) {
    const source = (await inFlight.shift()) ?? new Error('the file was not read');
    const ahead = files[i + READ_AHEAD];
    if (ahead !== undefined) inFlight.push(readAt(ahead));
    const inputFile = inputFileKey(job.inputS3Uri, name);
    const frameIds: string[] = [];
    const sink = (bytes: Buffer, header: InstanceHeader): void => {
      const id = newResourceId();
      frames.add({ id, bytes, contentType: frameContentType(header.transferSyntaxUid) });
      frameIds.push(id);
    };
    let parsed: ReadInstance;
    try {
      if (source instanceof Error) throw source;
      parsed = Buffer.isBuffer(source)
        ? readWholeInstance(source, sink)
        : await streamDicomInstance(source.stream, sink);
    } catch (error) {
      if (error instanceof DicomReadError) result.customerErrors++;
      else result.serverErrors++;
      result.failures.push({ inputFile, exception: readFailure(inputFile, error) });
      result.orphanFrames.push(...frameIds);
      continue;
    }
    const warnings = [...parsed.warnings];
    if (frameIds.length > 0 && !hasFrameFormat(parsed.transferSyntaxUid)) warnings.push(unsupportedTransferSyntax());
    const prepared = prepareInstance(parsed, frameIds);
    const bucket = mapGet(result.buckets, `${prepared.studyInstanceUid}/${prepared.seriesInstanceUid}`, () => ({
      studyInstanceUid: prepared.studyInstanceUid,
      seriesInstanceUid: prepared.seriesInstanceUid,
      groups: new Map<string, InstanceGroup>(),
    }));
    const group = mapGet(bucket.groups, groupingSignature(prepared), () => ({ instances: [], files: [] }));
    group.instances.push(prepared);
    group.files.push({ inputFile, warnings, frameIds });
  }
  frames.flush();
  return result;
}

function buildReport(scanned: number, read: ReadResult, plan: ImportPlan): ImportReport {
  const successes: SuccessLine[] = [];
  const warnings: WarningLine[] = [];
  const summaries: ImageSetSummary[] = [];
  const failures = [...read.failures];
  for (const write of plan.writes) {
    const imageSetId = write.kind === 'create' ? write.imageSetId : write.primary.imageSetId;
    const isPrimary = write.kind === 'create' ? write.isPrimary : true;
    const imageSetVersion = write.kind === 'create' ? 1 : write.version;
    for (const file of write.group.files) {
      successes.push({ inputFile: file.inputFile, importResponse: { imageSetId, isPrimary } });
      if (file.warnings.length > 0) {
        warnings.push({
          inputFile: file.inputFile,
          importResponse: { imageSetId, imageSetVersion, isPrimary },
          warnings: file.warnings,
        });
      }
    }
    summaries.push({
      imageSetId,
      imageSetVersion,
      isPrimary,
      numberOfMatchedSOPInstances: new Set(write.group.instances.map((i) => i.sopInstanceUid)).size,
    });
  }
  let blockedFiles = 0;
  for (const { group } of plan.blocked) {
    for (const file of group.files) {
      blockedFiles++;
      failures.push({
        inputFile: file.inputFile,
        exception: {
          exceptionType: 'ConflictException',
          message: `${file.inputFile}: its primary image set stayed locked by another operation; import the file again`,
        },
      });
    }
  }
  return {
    counts: {
      numberOfScannedFiles: scanned,
      numberOfImportedFiles: successes.length,
      numberOfFilesWithCustomerError: read.customerErrors,
      numberOfFilesWithServerError: read.serverErrors + blockedFiles,
      numberOfGeneratedImageSets: summaries.length,
    },
    imageSetsSummary: summaries,
    successes,
    warnings,
    failures,
  };
}

function applyWrite(job: DicomImportJob, write: PlannedWrite, document: MetadataDocument): void {
  const { datastoreId, target } = job;
  if (write.kind === 'create') {
    target.createImageSet(datastoreId, write.imageSetId, document, write.isPrimary);
    return;
  }
  const { versionId } = target.appendImportedVersion(datastoreId, write.primary.imageSetId, document);
  if (Number(versionId) !== write.version)
    throw new Error('the primary image set changed while the import was writing');
}

/** A plan and the document each of its writes stores, built and encoded ahead of the commit. */
interface PreparedPlan {
  plan: ImportPlan;
  documents: MetadataDocument[];
}

/** One document per event-loop turn, each handed to the store to encode off the loop. */
async function prepareDocuments(job: DicomImportJob, plan: ImportPlan): Promise<PreparedPlan> {
  const documents: MetadataDocument[] = [];
  for (const write of plan.writes) {
    await new Promise(setImmediate);
    const document =
      write.kind === 'create'
        ? newDocument(job.datastoreId, write.imageSetId, write.group.instances)
        : mergeInstances(write.primary.document, write.group.instances);
    await job.target.prepareDocument?.(document);
    documents.push(document);
  }
  return { plan, documents };
}

/** Whether two plans of the same groups write to the same places (new image set ids aside). */
function sameTargets(a: ImportPlan, b: ImportPlan): boolean {
  const sameWrite = (x: PlannedWrite, y: PlannedWrite | undefined): boolean =>
    y !== undefined &&
    x.group === y.group &&
    (x.kind === 'create'
      ? y.kind === 'create' && x.isPrimary === y.isPrimary
      : y.kind === 'append' && x.primary.imageSetId === y.primary.imageSetId && x.version === y.version);
  return (
    a.writes.length === b.writes.length &&
    a.blocked.length === b.blocked.length &&
    a.writes.every((write, i) => sameWrite(write, b.writes[i])) &&
    a.blocked.every((blocked, i) => {
      const other = b.blocked[i];
      return other !== undefined && blocked.imageSetId === other.imageSetId && blocked.group === other.group;
    })
  );
}

/**
 * Frames of an instance that a later file of the same job replaced (same SOP Instance UID in one
 * group: the document keeps the last). No version refers to them, so they go now rather than
 * waiting for the next start-up sweep.
 */
function supersededFrames(group: InstanceGroup): string[] {
  const last = new Map<string, number>();
  group.instances.forEach((instance, i) => last.set(instance.sopInstanceUid, i));
  return group.instances.flatMap((instance, i) =>
    last.get(instance.sopInstanceUid) === i ? [] : (group.files[i]?.frameIds ?? []),
  );
}

/**
 * Plans against the store, waiting while a primary image set the job adds to is LOCKED, builds
 * and encodes the documents of that plan (over several turns of the event loop: a document of
 * thousands of frames takes long to build and to gzip), then plans again and — in the same
 * synchronous turn as that last plan, so nothing can change the store in between — writes the
 * report files and commits every image set, provided the store still agrees with the documents;
 * if it changed meanwhile, starts over.
 */
async function writeWhenUnlocked(job: DicomImportJob, scanned: number, read: ReadResult): Promise<ImportReport> {
  const deadline = Date.now() + (job.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  let prepared: PreparedPlan | undefined;
  for (;;) {
    const current = planImport(read.buckets.values(), (study, series) =>
      job.target.findPrimary(job.datastoreId, study, series),
    );
    const ready = current.blocked.length === 0 || Date.now() >= deadline;
    if (ready && prepared && sameTargets(prepared.plan, current)) {
      const { plan, documents } = prepared;
      const report = buildReport(scanned, read, plan);
      writeImportReport(job, report);
      job.target.commit(() => {
        plan.writes.forEach((write, i) => {
          const document = documents[i];
          if (!document) throw new Error('a planned write has no prepared document');
          applyWrite(job, write, document);
        });
      });
      const unused = [
        ...read.orphanFrames,
        ...plan.blocked.flatMap(({ group }) => group.files.flatMap((file) => file.frameIds)),
        ...plan.writes.flatMap((write) => supersededFrames(write.group)),
      ];
      if (unused.length > 0) job.target.discardFrames(job.datastoreId, unused);
      return report;
    }
    if (ready) {
      prepared = await prepareDocuments(job, current);
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_POLL_MS, Math.max(1, deadline - Date.now()))));
  }
}

export async function runDicomImport(job: DicomImportJob): Promise<DicomImportResult> {
  const listing = await listInputFiles(job.inputDir, job.inputNamePrefix);
  checkImportQuotas(listing, job.quotas ?? DEFAULT_IMPORT_QUOTAS);
  const frames = new FrameBatcher(job.target, job.datastoreId);
  let report: ImportReport;
  try {
    const read = await readAndGroup(job, listing.files, frames);
    report = await writeWhenUnlocked(job, listing.files.length, read);
  } catch (error) {
    // Nothing was committed: the frames this job stored are referenced by no image set.
    try {
      if (frames.stored.length > 0) job.target.discardFrames(job.datastoreId, frames.stored);
    } catch {
      // A store that is closing keeps them; start-up sweeps unreferenced frames away.
    }
    throw error;
  }
  const { numberOfScannedFiles, numberOfImportedFiles, numberOfFilesWithCustomerError, numberOfGeneratedImageSets } =
    report.counts;
  return { numberOfScannedFiles, numberOfImportedFiles, numberOfFilesWithCustomerError, numberOfGeneratedImageSets };
}
