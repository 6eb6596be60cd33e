import {
  GetDICOMImportJobCommand,
  GetImageFrameCommand,
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  SearchImageSetsCommand,
  StartDICOMImportJobCommand,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { crc32 } from '../../healthimaging-local/dicom/frame-checksum';
import { encodeInstance } from '../../scripts/synthetic-instance';
import type { MetadataDocument } from '../../healthimaging-local/shapes/metadata-document';
import {
  SYNTHETIC_PRIVATE_TAG,
  generateStudy,
  smallCtStudy,
  smallMrStudy,
  type GeneratedFile,
} from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { TEST_ROLE_ARN, createActiveDatastore, pollUntil } from '../support/hil-wait';
import {
  firstFrame,
  firstInstance,
  firstSeries,
  instanceIn,
} from '../unit/healthimaging-local/fixtures/document-paths';
import { atLeast, present } from '../support/present';
import { describeIfSamples, SAMPLES_DIR, sampleFiles } from '../unit/dicom/sample-files';

interface ImportOutcome {
  jobId: string;
  manifest: {
    jobSummary: {
      numberOfScannedFiles: number;
      numberOfImportedFiles: number;
      numberOfFilesWithCustomerError: number;
      numberOfGeneratedImageSets: number;
      imageSetsSummary: Array<{
        imageSetId: string;
        imageSetVersion: number;
        isPrimary: boolean;
        numberOfMatchedSOPInstances: number;
      }>;
    };
  };
  successes: Array<{ inputFile: string; importResponse: { imageSetId: string; isPrimary: boolean } }>;
  failures: Array<{ inputFile: string; exception: { exceptionType: string; message: string } }>;
  warnings: Array<{
    inputFile: string;
    importResponse: { imageSetId: string; imageSetVersion: number; isPrimary: boolean };
    warnings: Array<{ warning_reason_code: number; type: string; message: string }>;
  }>;
}

describe('StartDICOMImportJob through the SDK against HealthImaging Local', () => {
  let t: TestHil;
  let client: MedicalImagingClient;
  let datastoreId: string;

  beforeAll(async () => {
    t = await startTestHil();
    client = t.client();
    datastoreId = await createActiveDatastore(client, 'import-contract');
  });
  afterAll(async () => t.close());

  /** Puts files under s3://test-bucket/<prefix>/in/, runs a job to its end and reads its reports. */
  async function runImport(prefix: string, files: GeneratedFile[]): Promise<ImportOutcome> {
    const inputDir = path.join(t.s3Dir, 'test-bucket', prefix, 'in');
    for (const file of files) {
      const target = path.join(inputDir, ...file.relativePath.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.bytes);
    }
    const started = await client.send(
      new StartDICOMImportJobCommand({
        datastoreId,
        jobName: `job-${prefix}`,
        dataAccessRoleArn: TEST_ROLE_ARN,
        inputS3Uri: `s3://test-bucket/${prefix}/in/`,
        outputS3Uri: `s3://test-bucket/${prefix}/out/`,
      }),
    );
    expect(started.jobStatus).toBe('SUBMITTED');
    const jobId = started.jobId!;
    const status = await pollUntil(
      `import job ${prefix}`,
      async () => {
        const job = await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId }));
        const s = job.jobProperties?.jobStatus;
        return s === 'COMPLETED' || s === 'FAILED' ? s : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(status).toBe('COMPLETED');
    const folder = path.join(t.s3Dir, 'test-bucket', prefix, 'out', `${datastoreId}-DicomImport-${jobId}`);
    const ndjson = async (file: string) =>
      (await readFile(path.join(folder, file), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
    return {
      jobId,
      manifest: JSON.parse(await readFile(path.join(folder, 'job-output-manifest.json'), 'utf8')),
      successes: await ndjson('SUCCESS/success.ndjson'),
      failures: await ndjson('FAILURE/failure.ndjson'),
      warnings: await ndjson('WARNING/warning.ndjson'),
    };
  }

  async function metadata(imageSetId: string, versionId?: string): Promise<MetadataDocument> {
    const out = await client.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId, versionId }));
    const bytes = Buffer.from(await out.imageSetMetadataBlob.transformToByteArray());
    return JSON.parse(gunzipSync(bytes).toString('utf8')) as MetadataDocument;
  }

  async function searchBySeries(seriesInstanceUid: string) {
    const found = await client.send(
      new SearchImageSetsCommand({
        datastoreId,
        searchCriteria: { filters: [{ operator: 'EQUAL', values: [{ DICOMSeriesInstanceUID: seriesInstanceUid }] }] },
      }),
    );
    return found.imageSetsMetadataSummaries ?? [];
  }

  const ctFiles = generateStudy(smallCtStudy);
  let ctImageSetIds: string[] = [];

  it('imports a synthetic study into one primary image set per series and reports every file', async () => {
    const outcome = await runImport('ct-first', ctFiles);
    expect(outcome.failures).toEqual([]);
    expect(outcome.successes).toHaveLength(6);
    expect(outcome.successes.map((s) => s.inputFile)).toContain('ct-first/in/study-FIXCT1/series-001-CT/00001.dcm');
    expect(outcome.manifest.jobSummary).toMatchObject({
      numberOfScannedFiles: 6,
      numberOfImportedFiles: 6,
      numberOfFilesWithCustomerError: 0,
      numberOfGeneratedImageSets: 2,
    });
    ctImageSetIds = outcome.manifest.jobSummary.imageSetsSummary.map((s) => s.imageSetId);
    expect(outcome.manifest.jobSummary.imageSetsSummary).toEqual(
      ctImageSetIds.map((imageSetId) => ({
        imageSetId,
        imageSetVersion: 1,
        isPrimary: true,
        numberOfMatchedSOPInstances: 3,
      })),
    );

    const found = await client.send(
      new SearchImageSetsCommand({
        datastoreId,
        searchCriteria: {
          filters: [{ operator: 'EQUAL', values: [{ DICOMAccessionNumber: smallCtStudy.accessionNumber }] }],
        },
      }),
    );
    const summaries = found.imageSetsMetadataSummaries ?? [];
    expect(summaries.map((s) => s.imageSetId).sort()).toEqual([...ctImageSetIds].sort());
    for (const summary of summaries) {
      expect(summary).toMatchObject({ version: 1, isPrimary: true });
      expect(summary.DICOMTags).toMatchObject({
        DICOMPatientId: 'FIX-CT-001',
        DICOMStudyId: 'FIXCT1',
        DICOMSeriesModality: 'CT',
      });
    }
    for (const imageSetId of ctImageSetIds) {
      const got = await client.send(new GetImageSetCommand({ datastoreId, imageSetId }));
      expect(got).toMatchObject({
        versionId: '1',
        imageSetState: 'ACTIVE',
        imageSetWorkflowStatus: 'IMPORTED',
        isPrimary: true,
      });
    }
  });

  it('serves a metadata document with the patient, study, series and instance levels', async () => {
    const imageSetId = present(ctImageSetIds[0], 'a CT image set');
    const doc = await metadata(imageSetId);
    expect(doc).toMatchObject({ SchemaVersion: '1.1', DatastoreID: datastoreId, ImageSetID: imageSetId });
    expect(doc.Patient.DICOM).toEqual({
      PatientName: 'Fixture^Carla',
      PatientID: 'FIX-CT-001',
      PatientBirthDate: '19700101',
      PatientSex: 'F',
    });
    expect(doc.Study.DICOM).toMatchObject({ AccessionNumber: 'FIXCT0001', StudyID: 'FIXCT1', StudyDate: '20240102' });
    const { uid: seriesUid, series } = firstSeries(doc);
    expect(series.DICOM).toMatchObject({ SeriesInstanceUID: seriesUid, Modality: 'CT' });
    const instances = Object.entries(series.Instances);
    expect(instances).toHaveLength(3);
    for (const [sopUid, instance] of instances) {
      expect(instance.DICOM).toMatchObject({ SOPInstanceUID: sopUid, Rows: 32, Columns: 32, PixelData: null });
      expect(instance.DICOM).not.toHaveProperty('PatientName');
      expect(instance.DICOM[SYNTHETIC_PRIVATE_TAG]).toMatch(/^synthetic CT \d$/);
      expect(instance.DICOMVRs).toMatchObject({ [SYNTHETIC_PRIVATE_TAG]: 'LO' });
      expect(instance.StoredTransferSyntaxUID).toBe('1.2.840.10008.1.2.1');
      expect(instance.ImageFrames).toHaveLength(1);
    }
  });

  it('serves every frame with bytes whose CRC32 is the checksum in the document', async () => {
    const mr = await runImport('mr-frames', generateStudy(smallMrStudy));
    let checked = 0;
    for (const { imageSetId } of mr.manifest.jobSummary.imageSetsSummary) {
      const doc = await metadata(imageSetId);
      for (const series of Object.values(doc.Study.Series)) {
        for (const instance of Object.values(series.Instances)) {
          for (const frame of instance.ImageFrames) {
            const out = await client.send(
              new GetImageFrameCommand({ datastoreId, imageSetId, imageFrameInformation: { imageFrameId: frame.ID } }),
            );
            const bytes = Buffer.from(await out.imageFrameBlob.transformToByteArray());
            expect(out.contentType).toBe('application/octet-stream');
            expect(bytes.length).toBe(frame.FrameSizeInBytes);
            const full = frame.PixelDataChecksumFromBaseToFullResolution.reduce((a, b) => (b.Width > a.Width ? b : a));
            expect(crc32(bytes)).toBe(full.Checksum);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(3 + 3 * 2);
  });

  it('merges a re-import into the existing primary image sets as their next version', async () => {
    const outcome = await runImport('ct-again', ctFiles);
    expect(outcome.manifest.jobSummary.imageSetsSummary.map((s) => s.imageSetId).sort()).toEqual(
      [...ctImageSetIds].sort(),
    );
    expect(outcome.manifest.jobSummary.imageSetsSummary.every((s) => s.imageSetVersion === 2 && s.isPrimary)).toBe(
      true,
    );
    for (const imageSetId of ctImageSetIds) {
      const got = await client.send(new GetImageSetCommand({ datastoreId, imageSetId }));
      expect(got).toMatchObject({ versionId: '2', imageSetWorkflowStatus: 'IMPORTED', isPrimary: true });
      const v1 = await metadata(imageSetId, '1');
      const v2 = await metadata(imageSetId, '2');
      const sops = (doc: MetadataDocument) =>
        Object.values(doc.Study.Series)
          .flatMap((s) => Object.keys(s.Instances))
          .sort();
      expect(sops(v2)).toEqual(sops(v1));
    }
  });

  it('puts a file whose grouping keys conflict with the primary into a non-primary image set', async () => {
    const conflicting = generateStudy({ ...smallCtStudy, accessionNumber: 'FIXCT0999' }).slice(0, 1);
    const outcome = await runImport('ct-conflict', conflicting);
    expect(outcome.successes).toEqual([
      {
        inputFile: 'ct-conflict/in/study-FIXCT1/series-001-CT/00001.dcm',
        importResponse: { imageSetId: expect.any(String), isPrimary: false },
      },
    ]);
    const nonPrimaryId = present(outcome.successes[0], 'a SUCCESS line').importResponse.imageSetId;
    expect(ctImageSetIds).not.toContain(nonPrimaryId);
    const got = await client.send(new GetImageSetCommand({ datastoreId, imageSetId: nonPrimaryId }));
    expect(got).toMatchObject({ versionId: '1', isPrimary: false });
    const seriesUid = firstSeries(await metadata(nonPrimaryId)).uid;
    const sameSeries = await searchBySeries(seriesUid);
    expect(sameSeries.map((s) => s.isPrimary).sort()).toEqual([false, true]);
    for (const imageSetId of ctImageSetIds) {
      expect((await client.send(new GetImageSetCommand({ datastoreId, imageSetId }))).versionId).toBe('2');
    }
  });

  it('reports a junk file and a truncated file as FAILURE lines and imports the rest', async () => {
    const [first, second] = atLeast(generateStudy({ ...smallMrStudy, seed: 'contract-failures' }), 2, 'MR files');
    const truncated = {
      relativePath: 'broken/truncated.dcm',
      bytes: second.bytes.subarray(0, second.bytes.length - 200),
    };
    const junk = { relativePath: 'broken/readme.txt', bytes: Buffer.from('This folder holds scans.\n') };
    const outcome = await runImport('with-failures', [first, truncated, junk]);
    expect(outcome.manifest.jobSummary).toMatchObject({
      numberOfScannedFiles: 3,
      numberOfImportedFiles: 1,
      numberOfFilesWithCustomerError: 2,
    });
    expect(outcome.failures).toEqual([
      {
        inputFile: 'with-failures/in/broken/readme.txt',
        exception: { exceptionType: 'ValidationException', message: expect.stringContaining('broken/readme.txt') },
      },
      {
        inputFile: 'with-failures/in/broken/truncated.dcm',
        exception: { exceptionType: 'ValidationException', message: expect.stringContaining('truncated') },
      },
    ]);
    for (const failure of outcome.failures) expect(failure.exception.message).not.toMatch(/Fixture|FIX-MR|20240103/);
    const job = await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId: outcome.jobId }));
    expect(job.jobProperties?.jobStatus).toBe('COMPLETED');
    expect(outcome.warnings).toEqual([]);
  });

  it('imports a file in a transfer syntax without a frame format with a WARNING line, serving its frame as octet-stream', async () => {
    const rle = encodeInstance(
      {
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
        SOPInstanceUID: '2.25.8101',
        StudyInstanceUID: '2.25.8102',
        SeriesInstanceUID: '2.25.8103',
        PatientID: 'RLE-1',
        Modality: 'OT',
        Rows: 2,
        Columns: 2,
        BitsAllocated: 8,
        BitsStored: 8,
        SamplesPerPixel: 1,
        PixelRepresentation: 0,
        PixelData: [new Uint8Array([9, 8, 7, 6]).buffer],
      },
      [],
      '1.2.840.10008.1.2.5', // RLE Lossless: encapsulated, no GetImageFrame content type
    );
    const outcome = await runImport('with-warning', [{ relativePath: 'rle.dcm', bytes: rle }]);
    const imageSetId = present(outcome.successes[0], 'a SUCCESS line').importResponse.imageSetId;
    expect(outcome.warnings).toEqual([
      {
        inputFile: 'with-warning/in/rle.dcm',
        importResponse: { imageSetId, imageSetVersion: 1, isPrimary: true },
        warnings: [{ warning_reason_code: 45344, type: 'UNSUPPORTED_TRANSFER_SYNTAX', message: expect.any(String) }],
      },
    ]);
    const doc = await metadata(imageSetId);
    const instance = instanceIn(doc, '2.25.8103', '2.25.8101');
    expect(instance).toMatchObject({ StoredTransferSyntaxUID: '1.2.840.10008.1.2.5', ChecksumType: 'ENCODED' });
    const frame = await client.send(
      new GetImageFrameCommand({
        datastoreId,
        imageSetId,
        imageFrameInformation: { imageFrameId: firstFrame(instance).ID },
      }),
    );
    expect(frame.contentType).toBe('application/octet-stream');
    expect([...(await frame.imageFrameBlob.transformToByteArray())]).toEqual([9, 8, 7, 6]);
  });
});

describeIfSamples('StartDICOMImportJob of the real DICOM samples', () => {
  let t: TestHil;
  afterAll(async () => t?.close());

  it('imports every real sample into image sets whose frames match their checksums', async () => {
    t = await startTestHil();
    const client = t.client();
    const datastoreId = await createActiveDatastore(client, 'samples');
    // Copied into this test's temporary S3 root, never into the repository.
    const inputDir = path.join(t.s3Dir, 'samples-bucket', 'in');
    const files = sampleFiles();
    for (const file of files) {
      const target = path.join(inputDir, path.relative(SAMPLES_DIR, file));
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(file, target);
    }
    const { jobId } = await client.send(
      new StartDICOMImportJobCommand({
        datastoreId,
        dataAccessRoleArn: TEST_ROLE_ARN,
        inputS3Uri: 's3://samples-bucket/in/',
        outputS3Uri: 's3://samples-bucket/out/',
      }),
    );
    await pollUntil(
      'samples import',
      async () => {
        const s = (await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId }))).jobProperties?.jobStatus;
        return s === 'COMPLETED' || s === 'FAILED' ? s : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const folder = path.join(t.s3Dir, 'samples-bucket', 'out', `${datastoreId}-DicomImport-${jobId}`);
    const manifest = JSON.parse(await readFile(path.join(folder, 'job-output-manifest.json'), 'utf8'));
    expect(manifest.jobSummary.numberOfImportedFiles).toBe(files.length);
    expect(manifest.jobSummary.numberOfFilesWithCustomerError).toBe(0);

    const found = await client.send(
      new SearchImageSetsCommand({
        datastoreId,
        searchCriteria: { filters: [{ operator: 'EQUAL', values: [{ DICOMPatientId: '1CT1' }] }] },
      }),
    );
    const imageSetId = present(found.imageSetsMetadataSummaries?.[0]?.imageSetId, 'a search result');
    const out = await client.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId }));
    const doc = JSON.parse(
      gunzipSync(Buffer.from(await out.imageSetMetadataBlob.transformToByteArray())).toString(),
    ) as MetadataDocument;
    const { instance } = firstInstance(doc);
    expect(instance.DICOMVRs).toMatchObject({ '00091027': 'SL' });
    const frame = firstFrame(instance);
    const checksum = present(frame.PixelDataChecksumFromBaseToFullResolution[0], 'a frame checksum');
    expect(checksum).toMatchObject({ Width: 128, Height: 128 });
    const got = await client.send(
      new GetImageFrameCommand({ datastoreId, imageSetId, imageFrameInformation: { imageFrameId: frame.ID } }),
    );
    const bytes = Buffer.from(await got.imageFrameBlob.transformToByteArray());
    expect(crc32(bytes)).toBe(checksum.Checksum);
  });
});
