/**
 * SearchImageSets through the real SDK against HealthImaging Local
 * (docs/healthimaging-behaviour.md#search): filters, sorting, the DICOMTags summaries and
 * pagination, over image sets made by a real DICOM import of three synthetic studies plus one
 * non-primary copy.
 */
import {
  CopyImageSetCommand,
  GetImageSetCommand,
  SearchImageSetsCommand,
  UpdateImageSetMetadataCommand,
  paginateSearchImageSets,
  type ImageSetsMetadataSummary,
  type MedicalImagingClient,
  type SearchByAttributeValue,
  type SearchCriteria,
  type SearchFilter,
} from '@aws-sdk/client-medical-imaging';
import { smallCtStudy, smallMrStudy, type SyntheticStudySpec } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { createActiveDatastore, importSyntheticStudy, waitForUnlocked } from '../support/hil-wait';
import { atLeast, type AtLeast } from '../support/present';

/** A third, older study of a third patient: one CR series of one instance. */
const olderCrStudy: SyntheticStudySpec = {
  patient: { name: 'Fixture^Olga', id: 'FIX-CR-001', birthDate: '19501224', sex: 'F' },
  accessionNumber: 'FIXCR0001',
  studyId: 'FIXCR1',
  studyDate: '20231120',
  studyTime: '073000',
  studyDescription: 'CR THORAX FIXTURE',
  series: [{ modality: 'CR', seriesNumber: 4, description: 'PA', bodyPart: 'CHEST', instances: 1 }],
  seed: 'search-contract-older-cr',
};

let hil: TestHil;
let client: MedicalImagingClient;
let datastoreId: string;
let ctIds: AtLeast<string, 2>;
let mrIds: AtLeast<string, 2>;
let crIds: AtLeast<string, 1>;
let copyId: string;
let everyId: string[];
let startedAt: Date;

async function search(searchCriteria?: SearchCriteria, maxResults?: number, nextToken?: string) {
  return client.send(new SearchImageSetsCommand({ datastoreId, searchCriteria, maxResults, nextToken }));
}

async function searchIds(searchCriteria?: SearchCriteria): Promise<string[]> {
  const found: string[] = [];
  for await (const page of paginateSearchImageSets({ client, pageSize: 50 }, { datastoreId, searchCriteria })) {
    found.push(...page.imageSetsMetadataSummaries!.map((s) => s.imageSetId!));
  }
  return found;
}

const sorted = (ids: string[]) => [...ids].sort();
const equal = (value: SearchByAttributeValue): SearchFilter => ({ operator: 'EQUAL', values: [value] });
const between = (lower: SearchByAttributeValue, upper: SearchByAttributeValue): SearchFilter => ({
  operator: 'BETWEEN',
  values: [lower, upper],
});

async function summaryOf(imageSetId: string): Promise<ImageSetsMetadataSummary> {
  const page = await search();
  return page.imageSetsMetadataSummaries!.find((s) => s.imageSetId === imageSetId)!;
}

beforeAll(async () => {
  startedAt = new Date(Date.now() - 1000);
  hil = await startTestHil();
  client = hil.client();
  datastoreId = await createActiveDatastore(client, 'search-contract');
  const ct = (await importSyntheticStudy(client, hil.s3Dir, datastoreId, smallCtStudy)).imageSetIds;
  const mr = (await importSyntheticStudy(client, hil.s3Dir, datastoreId, smallMrStudy)).imageSetIds;
  const cr = (await importSyntheticStudy(client, hil.s3Dir, datastoreId, olderCrStudy)).imageSetIds;
  expect({ ct: ct.length, mr: mr.length, cr: cr.length }).toEqual({ ct: 2, mr: 2, cr: 1 });
  ctIds = atLeast(ct, 2, 'CT image sets');
  mrIds = atLeast(mr, 2, 'MR image sets');
  crIds = atLeast(cr, 1, 'CR image sets');
  const copied = await client.send(
    new CopyImageSetCommand({
      datastoreId,
      sourceImageSetId: ctIds[0],
      copyImageSetInformation: { sourceImageSet: { latestVersionId: '1' } },
    }),
  );
  copyId = copied.destinationImageSetProperties!.imageSetId!;
  await waitForUnlocked(client, datastoreId, copyId);
  await waitForUnlocked(client, datastoreId, ctIds[0]);
  everyId = [...ctIds, ...mrIds, ...crIds, copyId];
});

afterAll(async () => {
  await hil?.close();
});

describe('SearchImageSets without criteria', () => {
  it('lists every image set, most recently updated first, and echoes no sort', async () => {
    const page = await search();
    const summaries = page.imageSetsMetadataSummaries!;
    expect(sorted(summaries.map((s) => s.imageSetId!))).toEqual(sorted(everyId));
    const times = summaries.map((s) => s.updatedAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(page.sort).toBeUndefined();
    expect(page.nextToken).toBeUndefined();
  });

  it('summarizes each image set with integer version, timestamps and DICOMTags', async () => {
    const summary = await summaryOf(crIds[0]);
    expect(summary.version).toBe(1);
    expect(summary.isPrimary).toBe(true);
    expect(summary.storageTier).toBe('FREQUENT_ACCESS');
    expect(summary.createdAt).toBeInstanceOf(Date);
    expect(summary.createdAt!.getTime()).toBeGreaterThanOrEqual(startedAt.getTime());
    expect(summary.DICOMTags).toMatchObject({
      DICOMPatientId: 'FIX-CR-001',
      DICOMPatientName: 'Fixture^Olga',
      DICOMPatientBirthDate: '19501224',
      DICOMPatientSex: 'F',
      DICOMAccessionNumber: 'FIXCR0001',
      DICOMStudyId: 'FIXCR1',
      DICOMStudyDescription: 'CR THORAX FIXTURE',
      DICOMStudyDate: '20231120',
      DICOMStudyTime: '073000',
      DICOMSeriesModality: 'CR',
      DICOMSeriesBodyPart: 'CHEST',
      DICOMSeriesNumber: 4,
      DICOMNumberOfStudyRelatedSeries: 1,
      DICOMNumberOfStudyRelatedInstances: 1,
    });
    expect(summary.DICOMTags!.DICOMStudyInstanceUID).toMatch(/^2\.25\.\d+$/);
    expect(summary.DICOMTags!.DICOMSeriesInstanceUID).toMatch(/^2\.25\.\d+$/);
  });

  it('reflects an update in the summary and its version', async () => {
    const [, id] = mrIds;
    await client.send(
      new UpdateImageSetMetadataCommand({
        datastoreId,
        imageSetId: id,
        latestVersionId: '1',
        updateImageSetMetadataUpdates: {
          DICOMUpdates: {
            updatableAttributes: new TextEncoder().encode(
              JSON.stringify({ Study: { DICOM: { StudyDescription: 'MR BRAIN REVISED' } } }),
            ),
          },
        },
      }),
    );
    await waitForUnlocked(client, datastoreId, id);
    const summary = await summaryOf(id);
    expect(summary.version).toBe(2);
    expect(summary.DICOMTags!.DICOMStudyDescription).toBe('MR BRAIN REVISED');
    expect((await search()).imageSetsMetadataSummaries?.[0]?.imageSetId).toBe(id);
  });
});

describe('SearchImageSets filters', () => {
  it('matches DICOMPatientId, DICOMAccessionNumber and DICOMStudyId exactly', async () => {
    expect(sorted(await searchIds({ filters: [equal({ DICOMPatientId: 'FIX-CT-001' })] }))).toEqual(
      sorted([...ctIds, copyId]),
    );
    expect(sorted(await searchIds({ filters: [equal({ DICOMAccessionNumber: 'FIXMR0001' })] }))).toEqual(sorted(mrIds));
    expect(await searchIds({ filters: [equal({ DICOMStudyId: 'FIXCR1' })] })).toEqual(crIds);
    expect(await searchIds({ filters: [equal({ DICOMPatientId: 'fix-ct-001' })] })).toEqual([]);
  });

  it('matches study and series instance UIDs', async () => {
    const tags = (await summaryOf(ctIds[1])).DICOMTags!;
    expect(
      sorted(await searchIds({ filters: [equal({ DICOMStudyInstanceUID: tags.DICOMStudyInstanceUID! })] })),
    ).toEqual(sorted([...ctIds, copyId]));
    expect(await searchIds({ filters: [equal({ DICOMSeriesInstanceUID: tags.DICOMSeriesInstanceUID! })] })).toEqual([
      ctIds[1],
    ]);
  });

  it('matches isPrimary', async () => {
    expect(await searchIds({ filters: [equal({ isPrimary: false })] })).toEqual([copyId]);
    expect(sorted(await searchIds({ filters: [equal({ isPrimary: true })] }))).toEqual(
      sorted([...ctIds, ...mrIds, ...crIds]),
    );
  });

  it('matches createdAt BETWEEN two dates, inclusively', async () => {
    expect(
      sorted(
        await searchIds({ filters: [between({ createdAt: startedAt }, { createdAt: new Date(Date.now() + 60_000) })] }),
      ),
    ).toEqual(sorted(everyId));
    expect(
      await searchIds({
        filters: [between({ createdAt: new Date('2001-01-01') }, { createdAt: new Date('2002-01-01') })],
      }),
    ).toEqual([]);
    const copyCreated = (await summaryOf(copyId)).createdAt!;
    expect(await searchIds({ filters: [between({ createdAt: copyCreated }, { createdAt: copyCreated })] })).toEqual([
      copyId,
    ]);
  });

  it('ANDs an EQUAL on DICOMSeriesInstanceUID with a BETWEEN on updatedAt (the documented example)', async () => {
    const tags = (await summaryOf(ctIds[0])).DICOMTags!;
    const inWindow = [
      equal({ DICOMSeriesInstanceUID: tags.DICOMSeriesInstanceUID! }),
      between({ updatedAt: startedAt }, { updatedAt: new Date(Date.now() + 60_000) }),
    ];
    expect(sorted(await searchIds({ filters: inWindow }))).toEqual(sorted([ctIds[0], copyId]));
    const outOfWindow = [
      equal({ DICOMSeriesInstanceUID: tags.DICOMSeriesInstanceUID! }),
      between({ updatedAt: new Date('2001-01-01') }, { updatedAt: startedAt }),
    ];
    expect(await searchIds({ filters: outOfWindow })).toEqual([]);
  });

  it('matches DICOMStudyDateAndTime BETWEEN, a bound without time meaning midnight', async () => {
    const from = { DICOMStudyDateAndTime: { DICOMStudyDate: '20231101' } };
    expect(
      await searchIds({ filters: [between(from, { DICOMStudyDateAndTime: { DICOMStudyDate: '20231231' } })] }),
    ).toEqual(crIds);
    expect(
      sorted(
        await searchIds({
          filters: [between(from, { DICOMStudyDateAndTime: { DICOMStudyDate: '20240102', DICOMStudyTime: '101500' } })],
        }),
      ),
    ).toEqual(sorted([...crIds, ...ctIds, copyId]));
    expect(
      sorted(await searchIds({ filters: [between(from, { DICOMStudyDateAndTime: { DICOMStudyDate: '20240102' } })] })),
    ).toEqual(crIds);
  });
});

describe('SearchImageSets sort', () => {
  it('sorts by DICOMStudyDateAndTime in both directions and echoes the sort', async () => {
    const asc = await search({ sort: { sortField: 'DICOMStudyDateAndTime', sortOrder: 'ASC' } });
    expect(asc.sort).toEqual({ sortField: 'DICOMStudyDateAndTime', sortOrder: 'ASC' });
    const dates = asc.imageSetsMetadataSummaries!.map(
      (s) => `${s.DICOMTags!.DICOMStudyDate}${s.DICOMTags!.DICOMStudyTime}`,
    );
    expect(dates).toEqual([...dates].sort());
    expect(asc.imageSetsMetadataSummaries?.[0]?.imageSetId).toBe(crIds[0]);
    const desc = await search({ sort: { sortField: 'DICOMStudyDateAndTime', sortOrder: 'DESC' } });
    expect(desc.imageSetsMetadataSummaries!.at(-1)!.imageSetId).toBe(crIds[0]);
    expect(sorted(desc.imageSetsMetadataSummaries!.slice(0, 2).map((s) => s.imageSetId!))).toEqual(sorted(mrIds));
  });

  it('sorts by createdAt ascending, ties broken by imageSetId', async () => {
    const page = await search({ sort: { sortField: 'createdAt', sortOrder: 'ASC' } });
    const keys = page.imageSetsMetadataSummaries!.map((s) => [s.createdAt!.getTime(), s.imageSetId!] as const);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
    expect(page.imageSetsMetadataSummaries!.at(-1)!.imageSetId).toBe(copyId);
  });
});

describe('SearchImageSets pagination', () => {
  it('pages through every match once, in the order of a single page', async () => {
    const criteria: SearchCriteria = { sort: { sortField: 'createdAt', sortOrder: 'DESC' } };
    const single = (await search(criteria)).imageSetsMetadataSummaries!.map((s) => s.imageSetId!);
    const first = await search(criteria, 2);
    expect(first.imageSetsMetadataSummaries).toHaveLength(2);
    expect(first.nextToken).toEqual(expect.any(String));
    const paged: string[] = [];
    for await (const page of paginateSearchImageSets(
      { client, pageSize: 2 },
      { datastoreId, searchCriteria: criteria },
    )) {
      expect(page.imageSetsMetadataSummaries!.length).toBeLessThanOrEqual(2);
      paged.push(...page.imageSetsMetadataSummaries!.map((s) => s.imageSetId!));
    }
    expect(paged).toEqual(single);
  });

  it('refuses a nextToken with different criteria, and maxResults outside 1..50', async () => {
    const first = await search(undefined, 2);
    await expectServiceError(
      () => search({ filters: [equal({ isPrimary: true })] }, 2, first.nextToken),
      'ValidationException',
      400,
    );
    await expectServiceError(() => search(undefined, 0), 'ValidationException', 400);
    await expectServiceError(() => search(undefined, 51), 'ValidationException', 400);
  });
});

describe('SearchImageSets criteria validation', () => {
  const rejects = async (criteria: unknown, message: RegExp) => {
    const err = await expectServiceError(() => search(criteria as SearchCriteria), 'ValidationException', 400);
    expect(err.message).toMatch(message);
  };

  it('allows BETWEEN only on createdAt, updatedAt and DICOMStudyDateAndTime', async () => {
    await rejects(
      { filters: [between({ DICOMPatientId: 'A' }, { DICOMPatientId: 'B' })] },
      /BETWEEN operator applies only/,
    );
  });

  it('gives EQUAL one value and BETWEEN two', async () => {
    await rejects(
      { filters: [{ operator: 'EQUAL', values: [{ DICOMPatientId: 'A' }, { DICOMPatientId: 'B' }] }] },
      /exactly one value/,
    );
    await rejects({ filters: [{ operator: 'BETWEEN', values: [{ createdAt: new Date() }] }] }, /exactly two values/);
  });

  it('accepts at most two filters', async () => {
    await rejects(
      { filters: [equal({ isPrimary: true }), equal({ isPrimary: true }), equal({ isPrimary: true })] },
      /1 or 2 filters/,
    );
  });

  it('rejects mixed members in one filter and two members in one value', async () => {
    await rejects({ filters: [between({ createdAt: startedAt }, { updatedAt: new Date() })] }, /same attribute/);
    await rejects(
      { filters: [{ operator: 'EQUAL', values: [{ DICOMPatientId: 'A', DICOMStudyId: 'B' }] }] },
      /exactly one attribute/,
    );
  });

  it('rejects an unknown sort field or order', async () => {
    await rejects({ sort: { sortField: 'imageSetId', sortOrder: 'ASC' } }, /sortField/);
    await rejects({ sort: { sortField: 'createdAt', sortOrder: 'UP' } }, /sortOrder/);
  });

  it('rejects over-long strings and malformed UIDs', async () => {
    await rejects({ filters: [equal({ DICOMPatientId: 'x'.repeat(513) })] }, /at most 512/);
    await rejects({ filters: [equal({ DICOMSeriesInstanceUID: 'not-a-uid' })] }, /digits and dots/);
  });

  it('leaves no trace: a rejected search changes nothing', async () => {
    const before = (await client.send(new GetImageSetCommand({ datastoreId, imageSetId: crIds[0] }))).versionId;
    await rejects({ filters: [equal({ DICOMStudyDateAndTime: { DICOMStudyDate: '2023-11-20' } })] }, /YYYYMMDD/);
    expect((await client.send(new GetImageSetCommand({ datastoreId, imageSetId: crIds[0] }))).versionId).toBe(before);
  });
});

describe('SearchImageSets on an image set that holds several series', () => {
  it('finds the image set by any of its series, while DICOMTags still summarize the first one', async () => {
    const firstSeries = (await summaryOf(copyId)).DICOMTags!.DICOMSeriesInstanceUID!;
    const secondSeries = (await summaryOf(ctIds[1])).DICOMTags!.DICOMSeriesInstanceUID!;
    const latestVersionId = (await client.send(new GetImageSetCommand({ datastoreId, imageSetId: copyId }))).versionId!;
    // A forced copy brings the other series' instances over as a second series (CLI example 3).
    await client.send(
      new CopyImageSetCommand({
        datastoreId,
        sourceImageSetId: ctIds[1],
        force: true,
        copyImageSetInformation: {
          sourceImageSet: { latestVersionId: '1' },
          destinationImageSet: { imageSetId: copyId, latestVersionId },
        },
      }),
    );
    const merged = await waitForUnlocked(client, datastoreId, copyId);
    expect(merged.imageSetWorkflowStatus).toBe('COPIED');
    await waitForUnlocked(client, datastoreId, ctIds[1]);

    expect(sorted(await searchIds({ filters: [equal({ DICOMSeriesInstanceUID: secondSeries })] }))).toEqual(
      sorted([ctIds[1], copyId]),
    );
    expect(sorted(await searchIds({ filters: [equal({ DICOMSeriesInstanceUID: firstSeries })] }))).toEqual(
      sorted([ctIds[0], copyId]),
    );
    const tags = (await summaryOf(copyId)).DICOMTags!;
    expect(tags.DICOMSeriesInstanceUID).toBe(firstSeries);
    expect(tags.DICOMNumberOfStudyRelatedSeries).toBe(2);
  });
});
