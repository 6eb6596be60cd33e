import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32 } from '../../../healthimaging-local/dicom/frame-checksum';
import { ImportJobRejected } from '../../../healthimaging-local/dicom/import-quotas';
import { runDicomImport, type DicomImportJob } from '../../../healthimaging-local/dicom/run-dicom-import';
import { encodeInstance } from '../../../scripts/synthetic-instance';
import {
  generateStudy,
  smallCtStudy,
  smallMrStudy,
  writeStudy,
  type SyntheticStudySpec,
} from '../../../scripts/synthetic-studies';
import { FakeImportTarget } from './fake-import-target';
import { describeIfSamples, SAMPLES_DIR, sampleFiles } from './sample-files';
import { atLeast, present } from '../../support/present';
import type { MetadataDocument } from '../../../healthimaging-local/shapes/metadata-document';

const DATASTORE = '0123456789abcdef0123456789abcdef';
let tmp: string;
let jobCounter = 0;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'dicom-import-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function importDir(
  target: FakeImportTarget,
  inputDir: string,
  inputS3Uri = 's3://bucket/incoming/',
  options: Pick<DicomImportJob, 'quotas' | 'lockWaitMs'> = {},
) {
  const jobId = `job${++jobCounter}`.padEnd(32, '0');
  const outputDir = path.join(tmp, 'out');
  const result = await runDicomImport({
    datastoreId: DATASTORE,
    jobId,
    inputDir,
    outputDir,
    inputS3Uri,
    outputS3Uri: 's3://bucket/results',
    target,
    ...options,
  });
  const folder = path.join(outputDir, `${DATASTORE}-DicomImport-${jobId}`);
  const manifest = JSON.parse(await fs.readFile(path.join(folder, 'job-output-manifest.json'), 'utf8'));
  const lines = async (file: string) =>
    (await fs.readFile(path.join(folder, file), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  return {
    result,
    manifest,
    jobId,
    successes: await lines('SUCCESS/success.ndjson'),
    failures: await lines('FAILURE/failure.ndjson'),
    warnings: await lines('WARNING/warning.ndjson'),
  };
}

async function writeFiles(dir: string, files: Array<{ relativePath: string; bytes: Buffer }>): Promise<void> {
  for (const file of files) {
    const target = path.join(dir, file.relativePath);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.bytes);
  }
}

describe('runDicomImport', () => {
  it('creates one primary image set per series and reports every file', async () => {
    const input = path.join(tmp, 'in');
    await writeStudy(input, smallCtStudy);
    const target = new FakeImportTarget();
    const { result, manifest, successes, failures, jobId } = await importDir(target, input);

    expect(result).toEqual({
      numberOfScannedFiles: 6,
      numberOfImportedFiles: 6,
      numberOfFilesWithCustomerError: 0,
      numberOfGeneratedImageSets: 2,
    });
    expect(target.primaries()).toHaveLength(2);
    expect(target.nonPrimaries()).toHaveLength(0);
    expect(failures).toEqual([]);
    expect(successes).toHaveLength(6);
    expect(successes[0]).toEqual({
      inputFile: 'incoming/study-FIXCT1/series-001-CT/00001.dcm',
      importResponse: { imageSetId: expect.stringMatching(/^[0-9a-f]{32}$/), isPrimary: true },
    });
    const jobUri = `s3://bucket/results/${DATASTORE}-DicomImport-${jobId}/`;
    expect(manifest.jobSummary).toMatchObject({
      jobId,
      datastoreId: DATASTORE,
      inputS3Uri: 's3://bucket/incoming/',
      outputS3Uri: jobUri,
      successOutputS3Uri: `${jobUri}SUCCESS/`,
      failureOutputS3Uri: `${jobUri}FAILURE/`,
      numberOfScannedFiles: 6,
      numberOfImportedFiles: 6,
      numberOfFilesWithCustomerError: 0,
      numberOfFilesWithServerError: 0,
      numberOfGeneratedImageSets: 2,
    });
    expect(manifest.jobSummary.imageSetsSummary).toEqual(
      target.primaries().map((s) => ({
        imageSetId: s.imageSetId,
        imageSetVersion: 1,
        isPrimary: true,
        numberOfMatchedSOPInstances: 3,
      })),
    );
  });

  it('stores every frame under the id its document names, with a matching CRC32', async () => {
    const input = path.join(tmp, 'in');
    await writeStudy(input, smallMrStudy);
    const target = new FakeImportTarget();
    await importDir(target, input);
    let frames = 0;
    for (const set of target.imageSets.values()) {
      for (const series of Object.values(set.versions[0].Study.Series)) {
        for (const instance of Object.values(series.Instances)) {
          for (const frame of instance.ImageFrames) {
            const stored = target.frames.get(frame.ID);
            expect(stored?.contentType).toBe('application/octet-stream');
            const [fullResolution] = atLeast(frame.PixelDataChecksumFromBaseToFullResolution, 1, 'checksums');
            expect(crc32(stored!.bytes)).toBe(fullResolution.Checksum);
            expect(stored!.bytes.length).toBe(frame.FrameSizeInBytes);
            frames++;
          }
        }
      }
    }
    expect(frames).toBe(3 + 3 * 2);
    expect(target.frames.size).toBe(frames);
  });

  it('merges a re-import into the existing primary image set as its next version', async () => {
    const input = path.join(tmp, 'in');
    await writeStudy(input, smallCtStudy);
    const target = new FakeImportTarget();
    await importDir(target, input);
    const firstIds = [...target.imageSets.keys()].sort();

    const { manifest, successes } = await importDir(target, input);
    expect([...target.imageSets.keys()].sort()).toEqual(firstIds);
    for (const set of target.imageSets.values()) {
      expect(set.versions).toHaveLength(2);
      const [v1, v2] = atLeast(set.versions, 2, 'versions');
      const sops = (doc: MetadataDocument) =>
        Object.values(doc.Study.Series)
          .flatMap((s) => Object.keys(s.Instances))
          .sort();
      expect(sops(v2)).toEqual(sops(v1));
      const frameId = (doc: MetadataDocument) => {
        const [series] = atLeast(Object.values(doc.Study.Series), 1, 'series');
        const [instance] = atLeast(Object.values(series.Instances), 1, 'instances');
        return atLeast(instance.ImageFrames, 1, 'frames')[0].ID;
      };
      expect(frameId(v2)).not.toBe(frameId(v1));
    }
    expect(manifest.jobSummary.imageSetsSummary.map((s: { imageSetVersion: number }) => s.imageSetVersion)).toEqual([
      2, 2,
    ]);
    expect(successes.every((s: { importResponse: { isPrimary: boolean } }) => s.importResponse.isPrimary)).toBe(true);
  });

  it('puts instances whose grouping keys conflict with the primary into a non-primary image set', async () => {
    const conflicting: SyntheticStudySpec = { ...smallCtStudy, accessionNumber: 'CHANGED01' };
    const input = path.join(tmp, 'in');
    await writeStudy(input, smallCtStudy);
    const target = new FakeImportTarget();
    await importDir(target, input);

    const second = path.join(tmp, 'in2');
    await writeFiles(second, generateStudy(conflicting).slice(0, 1));
    const { successes, manifest } = await importDir(target, second);
    expect(target.nonPrimaries()).toHaveLength(1);
    expect(successes).toEqual([
      expect.objectContaining({ importResponse: expect.objectContaining({ isPrimary: false }) }),
    ]);
    expect(manifest.jobSummary.imageSetsSummary).toEqual([
      expect.objectContaining({ isPrimary: false, imageSetVersion: 1 }),
    ]);
    const nonPrimary = target.latest(present(target.nonPrimaries()[0], 'a non-primary image set').imageSetId);
    expect(nonPrimary.Study.DICOM.AccessionNumber).toBe('CHANGED01');
    for (const primary of target.primaries()) expect(primary.versions).toHaveLength(1);
  });

  it('splits conflicting files of one series within a single job', async () => {
    const input = path.join(tmp, 'in');
    const base = generateStudy(smallCtStudy).slice(0, 2);
    const [other] = atLeast(generateStudy({ ...smallCtStudy, studyDate: '20240105' }).slice(2, 3), 1, 'files');
    await writeFiles(input, [...base, { ...other, relativePath: 'zz/late.dcm' }]);
    const target = new FakeImportTarget();
    const { result, successes } = await importDir(target, input);
    expect(result.numberOfGeneratedImageSets).toBe(2);
    expect(target.primaries()).toHaveLength(1);
    expect(target.nonPrimaries()).toHaveLength(1);
    expect(
      successes.find((s: { inputFile: string }) => s.inputFile.endsWith('zz/late.dcm')).importResponse.isPrimary,
    ).toBe(false);
  });

  it('reports junk and truncated files as FAILURE lines and imports the rest', async () => {
    const input = path.join(tmp, 'in');
    const files = atLeast(generateStudy(smallCtStudy), 3, 'generated files');
    await writeFiles(input, files.slice(0, 2));
    await fs.writeFile(path.join(input, 'notes.txt'), 'not an image at all\n');
    await fs.writeFile(path.join(input, 'cut.dcm'), files[2].bytes.subarray(0, files[2].bytes.length - 300));
    const target = new FakeImportTarget();
    const { result, failures, manifest } = await importDir(target, input);
    expect(result).toMatchObject({
      numberOfScannedFiles: 4,
      numberOfImportedFiles: 2,
      numberOfFilesWithCustomerError: 2,
    });
    expect(manifest.jobSummary.numberOfFilesWithCustomerError).toBe(2);
    expect(failures).toEqual([
      {
        inputFile: 'incoming/cut.dcm',
        exception: { exceptionType: 'ValidationException', message: expect.stringContaining('truncated') },
      },
      {
        inputFile: 'incoming/notes.txt',
        exception: { exceptionType: 'ValidationException', message: expect.stringContaining('not a DICOM') },
      },
    ]);
    for (const failure of failures) {
      expect(failure.exception.message).toContain(failure.inputFile);
      expect(failure.exception.message).not.toMatch(/Fixture|FIX-CT|20240102/);
    }
  });

  it('completes with zero files when the input prefix is empty or absent', async () => {
    const target = new FakeImportTarget();
    const { result, successes, failures } = await importDir(target, path.join(tmp, 'nothing-here'));
    expect(result).toEqual({
      numberOfScannedFiles: 0,
      numberOfImportedFiles: 0,
      numberOfFilesWithCustomerError: 0,
      numberOfGeneratedImageSets: 0,
    });
    expect(successes).toEqual([]);
    expect(failures).toEqual([]);
  });
});

/** Gives the import's timers a few turns (it polls a LOCKED primary every 25 ms). */
const turns = (n: number) => new Promise((resolve) => setTimeout(resolve, n * 30));

function referencedFrameIds(target: FakeImportTarget): Set<string> {
  return new Set(
    [...target.imageSets.values()].flatMap((set) =>
      set.versions.flatMap((doc) =>
        Object.values(doc.Study.Series).flatMap((s) =>
          Object.values(s.Instances).flatMap((i) => i.ImageFrames.map((f) => f.ID)),
        ),
      ),
    ),
  );
}

describe('runDicomImport and LOCKED primary image sets', () => {
  /** The CT study imported once (two primary image sets), then the first of them held LOCKED. */
  async function importedThenHeld() {
    const input = path.join(tmp, 'in');
    await writeStudy(input, smallCtStudy);
    const target = new FakeImportTarget();
    await importDir(target, input);
    const [held, free] = atLeast(target.primaries(), 2, 'primary image sets');
    target.locked.add(held.imageSetId);
    return { input, target, held, free };
  }

  it('plans again when a write lands on its primary image set while its documents are being encoded', async () => {
    const input = path.join(tmp, 'in');
    await writeStudy(input, smallCtStudy);
    const target = new FakeImportTarget();
    await importDir(target, input);
    const [changed, untouched] = atLeast(target.primaries(), 2, 'primary image sets');
    const [[seriesUid, series]] = atLeast(Object.entries(changed.versions[0].Study.Series), 1, 'series');
    const [instance] = atLeast(Object.values(series.Instances), 1, 'instances');
    let prepared = 0;
    target.prepareDocument = async () => {
      // An Update completes as version 2 (one more instance) after the job planned version 2 itself.
      if (prepared++ === 0) {
        const v2 = structuredClone(changed.versions[0]);
        present(v2.Study.Series[seriesUid], 'the series').Instances['1.2.3.4.5.6.999'] = structuredClone(instance);
        changed.versions.push(v2);
      }
    };

    const { manifest, failures } = await importDir(target, input);
    expect(failures).toEqual([]);
    expect(prepared).toBe(4); // two documents, prepared twice
    expect(changed.versions).toHaveLength(3);
    expect(
      Object.keys(present(target.latest(changed.imageSetId).Study.Series[seriesUid], 'the series').Instances),
    ).toContain('1.2.3.4.5.6.999');
    expect(untouched.versions).toHaveLength(2);
    const versions = Object.fromEntries(
      manifest.jobSummary.imageSetsSummary.map((s: { imageSetId: string; imageSetVersion: number }) => [
        s.imageSetId,
        s.imageSetVersion,
      ]),
    );
    expect(versions).toEqual({ [changed.imageSetId]: 3, [untouched.imageSetId]: 2 });
  });

  it('waits while a primary image set it adds to is LOCKED, then lands on top of the write that held it', async () => {
    const { input, target, held, free } = await importedThenHeld();

    const second = importDir(target, input, 's3://bucket/incoming/', { lockWaitMs: 30_000 });
    await turns(5);
    expect(target.commits).toBe(1); // nothing of the second job is written while the lock holds
    expect(held.versions).toHaveLength(1);
    expect(free.versions).toHaveLength(1);
    // The Update that held the lock completes as version 2, then releases it.
    held.versions.push(structuredClone(held.versions[0]));
    target.locked.delete(held.imageSetId);

    const { manifest, failures } = await second;
    expect(failures).toEqual([]);
    expect(held.versions).toHaveLength(3);
    expect(free.versions).toHaveLength(2);
    const versions = Object.fromEntries(
      manifest.jobSummary.imageSetsSummary.map((s: { imageSetId: string; imageSetVersion: number }) => [
        s.imageSetId,
        s.imageSetVersion,
      ]),
    );
    expect(versions).toEqual({ [held.imageSetId]: 3, [free.imageSetId]: 2 });
  });

  it('fails the files of a primary image set that stays LOCKED as ConflictException lines, imports the rest and drops their frames', async () => {
    const { input, target, held, free } = await importedThenHeld();
    const heldSeries = Object.keys(held.versions[0].Study.Series)[0];

    const { result, manifest, successes, failures } = await importDir(target, input, 's3://bucket/incoming/', {
      lockWaitMs: 50,
    });
    expect(result).toMatchObject({ numberOfScannedFiles: 6, numberOfImportedFiles: 3, numberOfGeneratedImageSets: 1 });
    expect(manifest.jobSummary.numberOfFilesWithServerError).toBe(3);
    expect(failures).toHaveLength(3);
    for (const failure of failures) {
      expect(failure.exception).toEqual({
        exceptionType: 'ConflictException',
        message: expect.stringContaining('locked'),
      });
      expect(failure.exception.message).toContain(failure.inputFile);
    }
    expect(successes.map((s: { importResponse: { imageSetId: string } }) => s.importResponse.imageSetId)).toEqual([
      free.imageSetId,
      free.imageSetId,
      free.imageSetId,
    ]);
    expect(held.versions).toHaveLength(1);
    expect(Object.keys(held.versions[0].Study.Series)).toEqual([heldSeries]);
    expect(free.versions).toHaveLength(2);
    expect(new Set(target.frames.keys())).toEqual(referencedFrameIds(target));
  });
});

describe('runDicomImport warnings, quotas and failures', () => {
  /** A secondary-capture instance of its own study and series, with `extra` elements. */
  const otDataset = (uid: number, extra: Record<string, unknown>) => ({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
    SOPInstanceUID: `2.25.${uid}`,
    StudyInstanceUID: '2.25.900',
    SeriesInstanceUID: '2.25.901',
    PatientID: 'P-9',
    Modality: 'OT',
    ...extra,
  });
  const fragmentInstance = (uid: number, transferSyntaxUid: string) =>
    encodeInstance(
      otDataset(uid, {
        Rows: 4,
        Columns: 4,
        BitsAllocated: 8,
        BitsStored: 8,
        SamplesPerPixel: 1,
        PixelRepresentation: 0,
        PixelData: [new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer],
      }),
      [],
      transferSyntaxUid,
    );

  it('writes a WARNING line, with the image set version, for a file whose transfer syntax has no frame format', async () => {
    const input = path.join(tmp, 'in');
    await writeFiles(input, [
      { relativePath: 'rle.dcm', bytes: fragmentInstance(902, '1.2.840.10008.1.2.5') },
      { relativePath: 'jpeg.dcm', bytes: fragmentInstance(903, '1.2.840.10008.1.2.4.50') },
    ]);
    const target = new FakeImportTarget();
    const { successes, warnings, manifest } = await importDir(target, input);
    expect(successes).toHaveLength(2);
    const imageSetId = manifest.jobSummary.imageSetsSummary[0].imageSetId;
    expect(warnings).toEqual([
      {
        inputFile: 'incoming/rle.dcm',
        importResponse: { imageSetId, imageSetVersion: 1, isPrimary: true },
        warnings: [
          {
            warning_reason_code: 45344,
            type: 'UNSUPPORTED_TRANSFER_SYNTAX',
            message: expect.stringContaining('octet-stream'),
          },
        ],
      },
    ]);
    expect([...target.frames.values()].map((f) => f.contentType).sort()).toEqual([
      'application/octet-stream',
      'image/jpeg',
    ]);
  });

  it('warns of coerced text when the declared character sets cannot be honoured exactly', async () => {
    const input = path.join(tmp, 'in');
    const bytes = encodeInstance(otDataset(910, { SpecificCharacterSet: ['ISO 2022 IR 6', 'ISO 2022 IR 87'] }));
    await writeFiles(input, [{ relativePath: 'jis.dcm', bytes }]);
    const { warnings } = await importDir(new FakeImportTarget(), input);
    expect(warnings).toEqual([
      expect.objectContaining({
        warnings: [expect.objectContaining({ warning_reason_code: 45056, type: 'COERCION_OF_DATA_ELEMENTS' })],
      }),
    ]);
  });

  it('rejects a job over the files-per-job quota before reading or writing anything', async () => {
    const input = path.join(tmp, 'in');
    await writeStudy(input, smallCtStudy);
    const target = new FakeImportTarget();
    const job = importDir(target, input, 's3://bucket/incoming/', {
      quotas: { maxFiles: 5, maxTotalBytes: 1e9, maxFolders: 100 },
    });
    await expect(job).rejects.toThrow(ImportJobRejected);
    await expect(job).rejects.toThrow(/6 files, more than the 5/);
    expect(target.putFramesCalls).toBe(0);
    expect(target.imageSets.size).toBe(0);
  });

  it('rejects a job over the total size or nested folder quota', async () => {
    const input = path.join(tmp, 'in');
    await writeStudy(input, smallCtStudy);
    const target = new FakeImportTarget();
    await expect(
      importDir(target, input, 's3://bucket/incoming/', {
        quotas: { maxFiles: 10, maxTotalBytes: 100, maxFolders: 100 },
      }),
    ).rejects.toThrow(/bytes/);
    await expect(
      importDir(target, input, 's3://bucket/incoming/', {
        quotas: { maxFiles: 10, maxTotalBytes: 1e9, maxFolders: 1 },
      }),
    ).rejects.toThrow(/folders/);
  });

  it('writes nothing and takes its frames back when the store fails during the commit', async () => {
    const input = path.join(tmp, 'in');
    await writeStudy(input, smallCtStudy);
    const target = new FakeImportTarget();
    let creates = 0;
    const create = target.createImageSet.bind(target);
    target.createImageSet = (...args) => {
      if (++creates === 2) throw new Error('disk full');
      create(...args);
    };
    await expect(importDir(target, input)).rejects.toThrow('disk full');
    expect(target.imageSets.size).toBe(0);
    expect(target.frames.size).toBe(0);
  });
});

describeIfSamples('runDicomImport with the real samples', () => {
  it('imports every real sample file into image sets grouped by study and series', async () => {
    const target = new FakeImportTarget();
    const { result, failures } = await importDir(target, SAMPLES_DIR, 's3://samples/');
    const dicomFiles = sampleFiles();
    expect(failures).toEqual([expect.objectContaining({ inputFile: 'README.md' })]);
    expect(result.numberOfImportedFiles).toBe(dicomFiles.length);
    const seriesCount = new Set([...target.imageSets.values()].flatMap((s) => Object.keys(s.versions[0].Study.Series)))
      .size;
    expect(seriesCount).toBeGreaterThanOrEqual(10);
    const ct = [...target.imageSets.values()].find((s) => s.versions[0].Patient.DICOM.PatientID === '1CT1')!;
    const [series] = atLeast(Object.values(ct.versions[0].Study.Series), 1, 'series');
    const [instance] = atLeast(Object.values(series.Instances), 1, 'instances');
    const [frame] = atLeast(instance.ImageFrames, 1, 'frames');
    expect(frame.PixelDataChecksumFromBaseToFullResolution[0]).toMatchObject({
      Width: 128,
      Height: 128,
    });
    expect(Object.keys(instance.DICOMVRs ?? {}).length).toBeGreaterThan(50);
  });
});
