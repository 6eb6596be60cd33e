import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_TENANT_STUDIES,
  smallCtStudy,
  smallMrStudy,
  type SyntheticStudySpec,
} from '../../scripts/synthetic-studies';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { AuditRecord } from '../../src/audit/audit-record';
import { SqliteAuditStore } from '../../src/audit/sqlite-audit-store';
import { startTelemetry, type Telemetry } from '../../src/telemetry/start-telemetry';
import { defaultTracingSettings } from '../../src/telemetry/tracing-settings';
import { expectData, expectGraphQLError, waitUntilUnlocked } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness, type GqlResponse } from '../support/gateway-harness';
import { dateValues, leakMatchers, nameValues, patientValuesIn, patientValuesOf } from '../support/phi-leak-scan';
import { present, type AtLeast } from '../support/present';

/**
 * The log-and-error scan of the protection review: a full workload over HTTP (every query shape,
 * every mutation, the failures a client or the upstream can cause) with several credentials, then
 * a search for every patient value of the imported studies, and every value the workload itself
 * sent, in each gateway log line, each trace span, each `errors` entry, each response header and each audit record;
 * and, for callers without `phi:read`, in their whole responses. Counts of what was scanned are
 * asserted so the scan cannot pass by looking at nothing, and a positive control shows the same
 * matcher finds the values in `data` a `phi:read` caller legitimately receives.
 */

const demoStudy = (tenant: 'acme' | 'globex', index: number): SyntheticStudySpec =>
  present(DEMO_TENANT_STUDIES[tenant][index], `demo study ${index + 1} of ${tenant}`);

/** Demo studies, each cut to one small series so the import stays quick; their patients are the demo's. */
const small = (spec: SyntheticStudySpec): SyntheticStudySpec => {
  const last = present(spec.series[spec.series.length - 1], `a series of ${spec.seed}`);
  return { ...spec, series: [{ ...last, instances: 2, frames: Math.min(last.frames ?? 1, 2) }] };
};
const ACME_DEMO = [small(demoStudy('acme', 0)), small(demoStudy('acme', 2)), demoStudy('acme', 3)];
const GLOBEX_DEMO = [small(demoStudy('globex', 0))];

/** Values this workload sends: new attribute values, and patient values put where they do not belong. */
const NEW_REFERRER = 'Menabrea^Luigi^Federico';
const NEW_ACCESSION = 'ACMEX90017';
const NEW_PATIENT_NAME = 'Byron^Augusta^Ada';
const NEW_BIRTH_DATE = '18151210';
const SENT_VALUES = [
  ...nameValues(NEW_REFERRER),
  NEW_ACCESSION,
  ...nameValues(NEW_PATIENT_NAME),
  ...dateValues(NEW_BIRTH_DATE),
];

const PATIENT_VALUES = [...patientValuesOf([smallCtStudy, smallMrStudy, ...ACME_DEMO, ...GLOBEX_DEMO]), ...SENT_VALUES];

const ADA = demoStudy('acme', 0).patient;
const ALAN = demoStudy('globex', 0).patient;

// --- documents -------------------------------------------------------------------------------

const VIEWER = 'query Viewer { viewer { tenantId tenantName subject scopes authMethod } }';
const DATASTORES = 'query Stores { datastores { id datastoreId name status arn createdAt updatedAt } }';
const DATASTORE_PAGE = `query StorePage($ds: String!) {
  datastore(datastoreId: $ds) { id name imageSets(first: 3) { edges { cursor node { imageSetId } } pageInfo { hasNextPage endCursor } } }
}`;
const SEARCH = `query Search($ds: String!, $filter: ImageSetSearchFilter, $sort: ImageSetSort, $first: Int, $after: String) {
  imageSets(datastoreId: $ds, filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { cursor node { id imageSetId state isPrimary createdAt updatedAt dicomTags {
      patientId patientName patientBirthDate patientSex accessionNumber studyId studyDescription studyDate studyTime
      studyInstanceUid seriesInstanceUid seriesModality seriesNumber seriesBodyPart numberOfStudyRelatedInstances numberOfStudyRelatedSeries
    } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const EVERYTHING = `query Everything($ds: String!, $id: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    id imageSetId datastoreId state workflowStatus latestVersionId isPrimary forced message createdAt updatedAt arn
    datastore { id name }
    versions(first: 3) { edges { cursor node { id versionId state workflowStatus message } } pageInfo { hasNextPage endCursor } }
    version(versionId: "1") { versionId metadata { versionId patient { patientName } } }
    latestVersion { id versionId changes(from: "1") { kind level keyword before after seriesInstanceUid sopInstanceUid } }
    metadata {
      versionId schemaVersion
      patient { patientName patientId birthDate sex dicom }
      study {
        studyInstanceUid studyId studyDate studyTime studyDescription accessionNumber dicom
        series {
          seriesInstanceUid seriesNumber modality seriesDescription bodyPartExamined instanceCount dicom
          instances(first: 2) { edges { cursor node { sopInstanceUid instanceNumber sopClassUid storedTransferSyntaxUid dicom dicomVrs frames { id width height sizeInBytes } } } pageInfo { hasNextPage endCursor } }
        }
      }
    }
  }
}`;
const INSTANCE = `query Instance($ds: String!, $id: String!, $series: String!, $sop: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) { metadata { study { series(seriesInstanceUid: $series) { instance(sopInstanceUid: $sop) { sopInstanceUid dicom frames { id } } } } } }
}`;
const INSTANCES_PAGE = `query InstancesPage($ds: String!, $id: String!, $after: String) {
  imageSet(datastoreId: $ds, imageSetId: $id) { metadata { study { series { instances(first: 1, after: $after) { edges { node { sopInstanceUid dicom } } pageInfo { endCursor } } } } } }
}`;
const VERSIONS_PAGE = `query VersionsPage($ds: String!, $id: String!, $after: String) {
  imageSet(datastoreId: $ds, imageSetId: $id) { versions(first: 1, after: $after) { edges { node { versionId } } pageInfo { hasNextPage endCursor } } }
}`;
const IMAGE_SET_VERSION = `query OneVersion($ds: String!, $id: String!, $v: String!) {
  imageSetVersion(datastoreId: $ds, imageSetId: $id, versionId: $v) {
    id versionId state workflowStatus forced isPrimary message createdAt
    imageSet { imageSetId latestVersionId }
    changes { kind level keyword before after seriesInstanceUid sopInstanceUid }
    metadata { patient { patientName patientId dicom } study { accessionNumber referring: dicom } }
  }
}`;
const NODE = `query Node($id: ID!) {
  node(id: $id) {
    id __typename
    ... on Datastore { datastoreId name }
    ... on ImageSet { imageSetId metadata { patient { patientName birthDate } } }
    ... on ImageSetVersion { versionId versionMetadata: metadata { study { accessionNumber dicom } } }
  }
}`;
const AUDIT = `query Audit($first: Int, $after: String, $filter: AuditEventFilterInput) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id sequence occurredAt requestId subject client clientKind operationName operationType documentHash action datastoreId imageSetId versionId dataCategories outcome upstreamRequestIds hash } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const COPY = `mutation Copy($input: CopyImageSetInput!) {
  copyImageSet(input: $input) {
    sourceImageSet { imageSetId state workflowStatus }
    destinationImageSet { imageSetId state latestVersionId }
    destinationVersion { versionId }
  }
}`;
const UPDATE = `mutation Update($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { imageSet { imageSetId state latestVersionId } version { versionId } }
}`;
const REVERT = `mutation Revert($input: RevertImageSetInput!) { revertImageSet(input: $input) { imageSet { imageSetId latestVersionId } version { versionId } } }`;
const DELETE = `mutation Delete($input: DeleteImageSetInput!) { deleteImageSet(input: $input) { imageSet { imageSetId state workflowStatus } } }`;

// --- the recorder ----------------------------------------------------------------------------

type CallerName = 'full' | 'fullKey' | 'partner' | 'writer' | 'globex' | 'anonymous' | 'expired';

interface Exchange {
  label: string;
  caller: CallerName;
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  parsed?: { data?: unknown; errors?: unknown[]; extensions?: unknown } | undefined;
}

/** Callers whose responses may carry PHI in `data` (they hold `phi:read` for their own tenant). */
const PHI_READERS: ReadonlySet<CallerName> = new Set(['full', 'fullKey', 'globex']);

describe('security: no patient value in logs, errors, headers or the audit trail', () => {
  let h: GatewayHarness;
  let folder: string;
  let store: SqliteAuditStore;
  let callers: Record<CallerName, Record<string, string>>;
  let ds: string;
  let ada: AtLeast<string, 1>;
  let alan: string[];
  const exchanges: Exchange[] = [];
  // Tracing on, through the test seam: every span the workload makes is scanned like a log line.
  const spans = new InMemorySpanExporter();
  let telemetry: Telemetry | undefined;

  async function send(
    label: string,
    caller: CallerName,
    query: string,
    variables?: Record<string, unknown>,
    extraHeaders: Record<string, string> = {},
  ): Promise<GqlResponse> {
    return sendRaw(label, caller, {
      headers: { 'content-type': 'application/json', ...extraHeaders },
      body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
    });
  }

  async function sendRaw(
    label: string,
    caller: CallerName,
    options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
  ): Promise<GqlResponse> {
    const response = await h.raw({ ...options, headers: { ...callers[caller], ...options.headers } });
    let parsed: Exchange['parsed'];
    try {
      parsed = JSON.parse(response.body) as Exchange['parsed'];
    } catch {
      parsed = undefined;
    }
    exchanges.push({ label, caller, status: response.status, headers: response.headers, body: response.body, parsed });
    return { status: response.status, headers: response.headers, ...(parsed as object) } as GqlResponse;
  }

  const code = (response: GqlResponse): unknown => response.errors?.[0]?.extensions?.code;

  async function withFault<T>(
    fault: { operation: string; mode: 'error' | 'throttle' | 'hang' },
    run: () => Promise<T>,
  ): Promise<T> {
    h.hil.hil.admin.faults.set(fault as Parameters<typeof h.hil.hil.admin.faults.set>[0]);
    try {
      return await run();
    } finally {
      h.hil.hil.admin.faults.clear();
    }
  }

  async function latestOf(id: string): Promise<string> {
    return (await waitUntilUnlocked(h, callers.full, ds, id)).latestVersionId;
  }

  beforeAll(async () => {
    telemetry = startTelemetry(defaultTracingSettings(), { spanExporter: spans });
    folder = mkdtempSync(join(tmpdir(), 'phi-scan-'));
    store = new SqliteAuditStore(join(folder, 'audit.sqlite'));
    // A short deadline so a hung upstream call reaches it; upstream timeouts longer than the deadline.
    // No metadata cache: every read must meet the upstream faults injected below.
    h = await startGatewayHarness({
      audit: store,
      env: { REQUEST_DEADLINE_MS: '3000', METADATA_CACHE_BYTES: '0' },
      upstream: { requestTimeoutMs: 20_000 },
    });
    ds = h.datastores.acme;
    callers = {
      full: h.as({ token: h.tokens.acme }),
      fullKey: h.as({ apiKey: h.apiKeys.acme }),
      partner: h.as({ apiKey: h.apiKeys.acmeReadOnly }),
      writer: h.as({ apiKey: h.apiKeys.acmeWriteOnly }),
      globex: h.as({ token: h.tokens.globex }),
      anonymous: {},
      expired: h.as({ token: h.tokens.acmeExpired }),
    };
    ada = await h.importStudy('acme', 'ada', ACME_DEMO[0]);
    await h.importStudy('acme', 'charles', ACME_DEMO[1]);
    await h.importStudy('acme', 'grace', ACME_DEMO[2]);
    alan = await h.importStudy('globex', 'alan', GLOBEX_DEMO[0]);
  });
  afterAll(async () => {
    h?.hil.hil.admin.faults.clear();
    await h?.close();
    await store?.close();
    await telemetry?.shutdown();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('reads every query shape with each credential', async () => {
    for (const caller of ['full', 'fullKey', 'partner', 'writer', 'globex', 'anonymous', 'expired'] as const) {
      await send(`viewer as ${caller}`, caller, VIEWER);
      await send(`datastores as ${caller}`, caller, DATASTORES);
      await send(`search as ${caller}`, caller, SEARCH, { ds, first: 50 });
      await send(`everything as ${caller}`, caller, EVERYTHING, { ds, id: ada[0] });
    }
    expect(expectData(await send('viewer', 'full', VIEWER)).viewer.tenantId).toBe('acme');
    expect(code(await send('anonymous', 'anonymous', VIEWER))).toBe('UNAUTHENTICATED');
    expect(code(await send('expired token', 'expired', VIEWER))).toBe('UNAUTHENTICATED');
    // The viewer needs no scope; the write-only key's reads of image sets are refused (above).
    expect(expectData(await send('write-only key viewer', 'writer', VIEWER)).viewer.scopes).toEqual([
      'imagesets:write',
    ]);
    expect(code(await send('write-only key reads', 'writer', EVERYTHING, { ds, id: ada[0] }))).toBe('FORBIDDEN');

    // Paging: data store page, search pages by cursor, sorted, filtered by identity and by UID.
    const page = expectData(await send('datastore page', 'full', DATASTORE_PAGE, { ds })).datastore.imageSets;
    expect(page.pageInfo.hasNextPage).toBe(true);
    let after: string | null = null;
    let pages = 0;
    do {
      const res = await send('search page', 'full', SEARCH, {
        ds,
        first: 2,
        after,
        sort: { field: 'STUDY_DATE_AND_TIME', order: 'ASC' },
      });
      after = expectData(res).imageSets.pageInfo.hasNextPage ? expectData(res).imageSets.pageInfo.endCursor : null;
      pages += 1;
    } while (after && pages < 10);
    expect(pages).toBeGreaterThan(1);
    const partnerPage = expectData(
      await send('partner search page', 'partner', SEARCH, {
        ds,
        first: 2,
        sort: { field: 'CREATED_AT', order: 'DESC' },
      }),
    );
    expectData(
      await send('partner search next page', 'partner', SEARCH, {
        ds,
        first: 2,
        after: partnerPage.imageSets.pageInfo.endCursor,
        sort: { field: 'CREATED_AT', order: 'DESC' },
      }),
    );

    const byPatient = expectData(
      await send('search by patientId', 'full', SEARCH, { ds, filter: { patientId: ADA.id } }),
    );
    expect(byPatient.imageSets.edges.length).toBeGreaterThan(0);
    const { studyInstanceUid, seriesInstanceUid } = byPatient.imageSets.edges[0].node.dicomTags;
    expectData(
      await send('search by accession', 'fullKey', SEARCH, {
        ds,
        filter: { accessionNumber: demoStudy('acme', 0).accessionNumber },
      }),
    );
    expectData(
      await send('search by study date', 'full', SEARCH, {
        ds,
        filter: { studyDate: { from: '20240101', to: '20241231' } },
        sort: { field: 'UPDATED_AT', order: 'DESC' },
      }),
    );
    expectData(
      await send('search by study id and primary', 'full', SEARCH, {
        ds,
        filter: { studyId: demoStudy('acme', 0).studyId, isPrimary: true },
      }),
    );
    expectData(
      await send('search by created', 'full', SEARCH, {
        ds,
        filter: { createdAt: { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' } },
      }),
    );
    expectData(await send('partner search by study UID', 'partner', SEARCH, { ds, filter: { studyInstanceUid } }));
    expectData(await send('partner search by series UID', 'partner', SEARCH, { ds, filter: { seriesInstanceUid } }));

    // One image set at every level, its versions, one version, instances by cursor, one instance, frames.
    const everything = expectData(await send('everything', 'full', EVERYTHING, { ds, id: ada[0] })).imageSet;
    const series = everything.metadata.study.series[0];
    const instance = series.instances.edges[0].node;
    expect(instance.frames.length).toBeGreaterThan(0);
    await send('instance', 'full', INSTANCE, {
      ds,
      id: ada[0],
      series: series.seriesInstanceUid,
      sop: instance.sopInstanceUid,
    });
    await send('partner instance', 'partner', INSTANCE, {
      ds,
      id: ada[0],
      series: series.seriesInstanceUid,
      sop: instance.sopInstanceUid,
    });
    const first = expectData(await send('instances page', 'full', INSTANCES_PAGE, { ds, id: ada[0] }));
    const cursor = first.imageSet.metadata.study.series[0].instances.pageInfo.endCursor;
    expectData(await send('instances next page', 'full', INSTANCES_PAGE, { ds, id: ada[0], after: cursor }));
    expectData(await send('partner instances next page', 'partner', INSTANCES_PAGE, { ds, id: ada[0], after: cursor }));
    expectData(await send('one version', 'full', IMAGE_SET_VERSION, { ds, id: ada[0], v: '1' }));
    expectData(await send('partner one version', 'partner', IMAGE_SET_VERSION, { ds, id: ada[0], v: '1' }));

    // Global ids of each node type, by each reader.
    for (const id of [everything.id, everything.datastore.id, everything.latestVersion.id]) {
      expectData(await send('node', 'full', NODE, { id }));
      expectData(await send('partner node', 'partner', NODE, { id }));
    }
    // Another tenant's id, image set and data store answer like missing ones.
    expect(code(await send('node of another tenant', 'globex', NODE, { id: everything.id }))).toBe('NOT_FOUND');
    expect(code(await send('image set of another tenant', 'globex', EVERYTHING, { ds, id: ada[0] }))).toBe('NOT_FOUND');
    expectData(await send('globex own image set', 'globex', EVERYTHING, { ds: h.datastores.globex, id: alan[0] }));
  });

  it('runs every mutation, done and refused', async () => {
    const [source] = ada;
    // Copy whole into a new image set, then a subset (one instance) into another new one.
    const whole = expectData(
      await send('copy whole', 'full', COPY, {
        input: { datastoreId: ds, sourceImageSetId: source, sourceLatestVersionId: '1' },
      }),
    );
    const copyId = whole.copyImageSet.destinationImageSet.imageSetId as string;
    await latestOf(copyId);
    await latestOf(source);
    const everything = expectData(await send('source for subset', 'full', EVERYTHING, { ds, id: source })).imageSet;
    const series = everything.metadata.study.series[0];
    const subset = expectData(
      await send('copy subset', 'fullKey', COPY, {
        input: {
          datastoreId: ds,
          sourceImageSetId: source,
          sourceLatestVersionId: '1',
          subset: {
            series: [
              {
                seriesInstanceUid: series.seriesInstanceUid,
                sopInstanceUids: [series.instances.edges[0].node.sopInstanceUid],
              },
            ],
          },
        },
      }),
    );
    const subsetId = subset.copyImageSet.destinationImageSet.imageSetId as string;
    await latestOf(subsetId);
    await latestOf(source);

    // Update study-level PHI (new referrer and accession), read the change, then revert it.
    expectData(
      await send('update', 'full', UPDATE, {
        input: {
          datastoreId: ds,
          imageSetId: copyId,
          latestVersionId: '1',
          updates: { study: { ReferringPhysicianName: NEW_REFERRER, AccessionNumber: NEW_ACCESSION } },
        },
      }),
    );
    expect(await latestOf(copyId)).toBe('2');
    expectData(await send('changes of the update', 'full', IMAGE_SET_VERSION, { ds, id: copyId, v: '2' }));
    expectData(await send('partner changes of the update', 'partner', IMAGE_SET_VERSION, { ds, id: copyId, v: '2' }));
    expectData(await send('partner everything after update', 'partner', EVERYTHING, { ds, id: copyId }));
    expect(
      code(
        await send('partner reverts PHI', 'partner', REVERT, {
          input: { datastoreId: ds, imageSetId: copyId, latestVersionId: '2', toVersionId: '1' },
        }),
      ),
    ).toBe('FORBIDDEN');
    expectData(
      await send('revert', 'full', REVERT, {
        input: { datastoreId: ds, imageSetId: copyId, latestVersionId: '2', toVersionId: '1' },
      }),
    );
    expect(await latestOf(copyId)).toBe('3');
    expectData(await send('changes of the revert', 'full', IMAGE_SET_VERSION, { ds, id: copyId, v: '3' }));
    let versionCursor: string | null = null;
    const versionIds: string[] = [];
    do {
      const res: GqlResponse = await send('versions page', 'partner', VERSIONS_PAGE, {
        ds,
        id: copyId,
        after: versionCursor,
      });
      const page = expectData(res).imageSet.versions as {
        edges: Array<{ node: { versionId: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      versionIds.push(...page.edges.map((edge) => edge.node.versionId));
      versionCursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (versionCursor && versionIds.length < 10);
    expect(versionIds).toEqual(['3', '2', '1']);

    // Failures: a stale version, a missing image set, scopes, PHI rules, another tenant.
    const stale = {
      input: {
        datastoreId: ds,
        imageSetId: copyId,
        latestVersionId: '1',
        updates: { study: { ReferringPhysicianName: NEW_REFERRER } },
      },
    };
    expectGraphQLError(await send('stale update', 'full', UPDATE, stale), 'VERSION_CONFLICT');
    expectGraphQLError(
      await send('stale revert', 'full', REVERT, {
        input: { datastoreId: ds, imageSetId: copyId, latestVersionId: '2', toVersionId: '1' },
      }),
      'VERSION_CONFLICT',
    );
    expectGraphQLError(
      await send('stale copy', 'full', COPY, {
        input: { datastoreId: ds, sourceImageSetId: copyId, sourceLatestVersionId: '1' },
      }),
      'VERSION_CONFLICT',
    );
    expectGraphQLError(
      await send('delete missing', 'full', DELETE, { input: { datastoreId: ds, imageSetId: 'f'.repeat(32) } }),
      'NOT_FOUND',
    );
    expectGraphQLError(
      await send('update missing', 'full', UPDATE, { input: { ...stale.input, imageSetId: '0'.repeat(32) } }),
      'NOT_FOUND',
    );
    expectGraphQLError(
      await send('partner deletes', 'partner', DELETE, { input: { datastoreId: ds, imageSetId: subsetId } }),
      'FORBIDDEN',
    );
    expectGraphQLError(
      await send('partner updates', 'partner', UPDATE, { input: { ...stale.input, latestVersionId: '3' } }),
      'FORBIDDEN',
    );
    expect(
      code(await send('writer updates PHI', 'writer', UPDATE, { input: { ...stale.input, latestVersionId: '3' } })),
    ).toBe('FORBIDDEN');
    expect(
      code(await send('writer deletes', 'writer', DELETE, { input: { datastoreId: ds, imageSetId: subsetId } })),
    ).toBe('FORBIDDEN');
    expect(
      code(await send('globex updates acme', 'globex', UPDATE, { input: { ...stale.input, latestVersionId: '3' } })),
    ).toBe('NOT_FOUND');
    expect(code(await send('anonymous updates', 'anonymous', UPDATE, stale))).toBe('UNAUTHENTICATED');
    expect(code(await send('expired token updates', 'expired', UPDATE, stale))).toBe('UNAUTHENTICATED');
    // Patient-level attributes of a primary image set: refused, with the new values in the request.
    const patientUpdate = await send('update patient level', 'full', UPDATE, {
      input: {
        datastoreId: ds,
        imageSetId: copyId,
        latestVersionId: '3',
        updates: { patient: { PatientName: NEW_PATIENT_NAME, PatientBirthDate: NEW_BIRTH_DATE } },
      },
    });
    expectData(patientUpdate);
    await latestOf(copyId);

    // Delete one copy.
    expectData(await send('delete', 'full', DELETE, { input: { datastoreId: ds, imageSetId: subsetId } }));
  });

  it('refuses bad values whose content is patient data', async () => {
    const [target] = await h.importStudy('acme', 'vr');
    const update = (label: string, updates: Record<string, unknown>) =>
      send(label, 'full', UPDATE, { input: { datastoreId: ds, imageSetId: target, latestVersionId: '1', updates } });
    // VR and VM checks: the bad values are patient values.
    expectGraphQLError(await update('DA is a name', { study: { StudyDate: ADA.name } }), 'BAD_USER_INPUT');
    expectGraphQLError(await update('TM is an id', { study: { StudyTime: ADA.id } }), 'BAD_USER_INPUT');
    expectGraphQLError(
      await update('SH too long', { study: { AccessionNumber: `${NEW_ACCESSION}-${ADA.name}` } }),
      'BAD_USER_INPUT',
    );
    expectGraphQLError(
      await update('PN with too many components', {
        study: { ReferringPhysicianName: `${NEW_REFERRER}^^^^^${ADA.name}` },
      }),
      'BAD_USER_INPUT',
    );
    expect(code(await update('DA birth date is a name', { patient: { PatientBirthDate: NEW_PATIENT_NAME } }))).toBe(
      'BAD_USER_INPUT',
    );
    expectGraphQLError(
      await update('IS is a birth date with text', {
        study: { StudyID: 17 },
        series: [{ seriesInstanceUid: '1.2.3', attributes: { SeriesNumber: `${ADA.birthDate}x` } }],
      }),
      'BAD_USER_INPUT',
    );
    // Unknown keywords and private tags carrying values.
    expect(code(await update('unknown keyword', { study: { [ADA.name.replace(/\W/g, '')]: ADA.name } }))).toBe(
      'BAD_USER_INPUT',
    );

    // Variable coercion: the bad value is a patient name, a birth date, an id.
    expectGraphQLError(await send('Int is a name', 'full', SEARCH, { ds, first: ADA.name }), 'BAD_USER_INPUT');
    expectGraphQLError(
      await send('enum is a name', 'full', SEARCH, { ds, sort: { field: ALAN.name, order: 'ASC' } }),
      'BAD_USER_INPUT',
    );
    expectGraphQLError(
      await send('DateTime is a birth date', 'full', SEARCH, {
        ds,
        filter: { createdAt: { from: ADA.birthDate, to: NEW_BIRTH_DATE } },
      }),
      'BAD_USER_INPUT',
    );
    expectGraphQLError(
      await send('Boolean is a name', 'full', COPY, {
        input: { datastoreId: ds, sourceImageSetId: target, sourceLatestVersionId: '1', force: ADA.name },
      }),
      'BAD_USER_INPUT',
    );
    expectGraphQLError(
      await send('JSONObject is a name', 'full', UPDATE, {
        input: { datastoreId: ds, imageSetId: target, latestVersionId: '1', updates: { patient: NEW_PATIENT_NAME } },
      }),
      'BAD_USER_INPUT',
    );
    expectGraphQLError(
      await send('input key is a name', 'full', SEARCH, { ds, filter: { [ADA.name]: ADA.id } }),
      'BAD_USER_INPUT',
    );
    expectGraphQLError(
      await send('String is a list of names', 'full', SEARCH, { ds, filter: { patientId: [ADA.id, ALAN.id] } }),
      'BAD_USER_INPUT',
    );
    expect(
      code(
        await send('missing required with a name elsewhere', 'full', UPDATE, {
          input: { datastoreId: ds, imageSetId: target, updates: { study: { ReferringPhysicianName: NEW_REFERRER } } },
        }),
      ),
    ).toBe('BAD_USER_INPUT');

    // Arguments checked by the gateway: ids, cursors, ranges and filters holding patient values.
    expect(code(await send('image set id is a patient id', 'full', EVERYTHING, { ds, id: ADA.id }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(code(await send('data store id is a name', 'full', SEARCH, { ds: ADA.name }))).toBeDefined();
    expect(code(await send('cursor is a name', 'full', SEARCH, { ds, after: ADA.name }))).toBe('BAD_USER_INPUT');
    expect(
      code(await send('node id is an accession', 'full', NODE, { id: demoStudy('acme', 0).accessionNumber })),
    ).toBe('NOT_FOUND');
    expect(
      code(
        await send('study date range is names', 'full', SEARCH, {
          ds,
          filter: { studyDate: { from: ADA.name, to: ALAN.name } },
        }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      code(await send('study UID is a name', 'full', SEARCH, { ds, filter: { studyInstanceUid: ADA.name } })),
    ).toBe('BAD_USER_INPUT');
    expect(code(await send('version id is a name', 'full', IMAGE_SET_VERSION, { ds, id: target, v: ADA.name }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      code(
        await send('audit filter is a name', 'full', AUDIT, {
          first: 5,
          filter: { subject: ADA.name, client: ALAN.id },
        }),
      ),
    ).toBeUndefined();
    expect(
      code(await send('audit filter too long', 'full', AUDIT, { first: 5, filter: { subject: ADA.name.repeat(40) } })),
    ).toBe('BAD_USER_INPUT');
    expect(
      code(await send('partner searches by patient id', 'partner', SEARCH, { ds, filter: { patientId: ADA.id } })),
    ).toBe('FORBIDDEN');
    expect(
      code(
        await send('partner searches by accession', 'partner', SEARCH, {
          ds,
          filter: { accessionNumber: NEW_ACCESSION },
        }),
      ),
    ).toBe('FORBIDDEN');
    // Mutations whose target ids are patient values (a client that confused PatientID with an image set id).
    expect(
      code(await send('delete patient id', 'full', DELETE, { input: { datastoreId: ds, imageSetId: ADA.id } })),
    ).toBe('BAD_USER_INPUT');
    expect(
      code(
        await send('update accession as id', 'full', UPDATE, {
          input: {
            datastoreId: ds,
            imageSetId: NEW_ACCESSION,
            latestVersionId: '1',
            updates: { study: { StudyDescription: 'X' } },
          },
        }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      code(
        await send('revert to a name', 'full', REVERT, {
          input: { datastoreId: ds, imageSetId: target, latestVersionId: ADA.name, toVersionId: ALAN.name },
        }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      code(
        await send('copy from a name', 'fullKey', COPY, {
          input: { datastoreId: ADA.name, sourceImageSetId: ALAN.id, sourceLatestVersionId: '1' },
        }),
      ),
    ).toBeDefined();
    expect(
      code(
        await send('subset series is a name', 'full', COPY, {
          input: {
            datastoreId: ds,
            sourceImageSetId: target,
            sourceLatestVersionId: '1',
            subset: { series: [{ seriesInstanceUid: ADA.name }] },
          },
        }),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('refuses broken documents that quote patient values', async () => {
    const literal = (label: string, query: string) => send(label, 'full', query);
    // Syntax errors whose offending token is a string holding a name.
    expect(
      code(await literal('string where a name belongs', `{ imageSets(datastoreId: "${ds}") "${ADA.name}" }`)),
    ).toBe('GRAPHQL_PARSE_FAILED');
    expect(code(await literal('unterminated string', `{ imageSets(datastoreId: "${ADA.name}`))).toBe(
      'GRAPHQL_PARSE_FAILED',
    );
    expect(code(await literal('block string', `{ viewer """${ADA.name} ${ADA.birthDate}""" }`))).toBe(
      'GRAPHQL_PARSE_FAILED',
    );
    expect(
      code(await literal('bad escape in a name', `{ imageSets(datastoreId: "${ADA.name}\\q") { edges { cursor } } }`)),
    ).toBe('GRAPHQL_PARSE_FAILED');
    expect(
      code(await literal('string as argument name', `{ imageSet(datastoreId: "${ds}", "${ALAN.id}": "x") { state } }`)),
    ).toBe('GRAPHQL_PARSE_FAILED');
    expect(code(await literal('number where a name belongs', `{ viewer ${ADA.birthDate} }`))).toBe(
      'GRAPHQL_PARSE_FAILED',
    );
    // Validation errors on literals holding patient values.
    expect(
      code(
        await literal(
          'Int literal is a name',
          `{ imageSets(datastoreId: "${ds}", first: "${ADA.name}") { edges { cursor } } }`,
        ),
      ),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(
      code(
        await literal(
          'String literal is a number',
          `{ imageSet(datastoreId: "${ds}", imageSetId: "${ada[0]}") { metadata(versionId: ${ADA.birthDate}) { versionId } } }`,
        ),
      ),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(
      code(
        await literal(
          'enum literal is a name',
          `{ imageSets(datastoreId: "${ds}", sort: { field: ${ADA.name.split('^')[0]}, order: ASC }) { edges { cursor } } }`,
        ),
      ),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(
      code(
        await literal(
          'unknown input field with a name',
          `{ imageSets(datastoreId: "${ds}", filter: { patientName: "${ADA.name}" }) { edges { cursor } } }`,
        ),
      ),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(
      code(
        await literal(
          'DateTime literal is a birth date',
          `{ imageSets(datastoreId: "${ds}", filter: { createdAt: { from: "${ADA.birthDate}", to: "${NEW_BIRTH_DATE}" } }) { edges { cursor } } }`,
        ),
      ),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
    // The gateway's own checks on literal values (not variables).
    expect(
      code(
        await literal(
          'literal patient id as image set id',
          `{ imageSet(datastoreId: "${ds}", imageSetId: "${ADA.id}") { state } }`,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      code(
        await literal(
          'literal update with bad VR',
          `mutation { updateImageSetMetadata(input: { datastoreId: "${ds}", imageSetId: "${ada[1] ?? ada[0]}", latestVersionId: "1", updates: { study: { StudyDate: "${ADA.name}" } } }) { version { versionId } } }`,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    // Transport: a body that is not JSON, a GET without the CSRF header, a GET that runs, an unknown path.
    await sendRaw('body not JSON', 'full', {
      headers: { 'content-type': 'application/json' },
      body: `{"query": "{ viewer { subject } }", "variables": {"name": "${ADA.name}"`,
    });
    await sendRaw('GET without CSRF header', 'full', {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(`{ imageSets(datastoreId: "${ADA.name}") { edges { cursor } } }`)}`,
    });
    await sendRaw('GET with a name in variables', 'full', {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(SEARCH)}&variables=${encodeURIComponent(JSON.stringify({ ds, filter: { patientId: ADA.id } }))}`,
      headers: { 'apollo-require-preflight': 'true' },
    });
    await sendRaw('path is a name', 'full', { method: 'GET', path: `/patients/${encodeURIComponent(ADA.name)}` });
    await send('request id is a name', 'full', VIEWER, undefined, { 'x-request-id': ADA.name });
    await sendRaw('unknown operation name', 'full', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: VIEWER, operationName: 'Other', variables: { name: ADA.name } }),
    });
  });

  it('refuses over-limit documents and extra mutations that carry patient values', async () => {
    const aliases = Array.from(
      { length: 21 },
      (_, i) => `a${i}: imageSets(datastoreId: "${ds}", filter: { patientId: "${ADA.id}" }) { edges { cursor } }`,
    ).join(' ');
    expect(code(await send('alias limit', 'full', `{ ${aliases} }`))).toBe('LIMIT_EXCEEDED');
    expect(
      code(
        await send(
          'token limit',
          'partner',
          `{ ${Array.from({ length: 1600 }, () => `viewer(n: "${ALAN.name}")`).join(' ')} }`,
        ),
      ),
    ).toBe('LIMIT_EXCEEDED');
    const two = `mutation Two($a: UpdateImageSetMetadataInput!, $b: UpdateImageSetMetadataInput!) {
      a: updateImageSetMetadata(input: $a) { version { versionId } } b: updateImageSetMetadata(input: $b) { version { versionId } }
    }`;
    const input = (id: string) => ({
      datastoreId: ds,
      imageSetId: id,
      latestVersionId: '1',
      updates: { study: { ReferringPhysicianName: NEW_REFERRER, AccessionNumber: NEW_ACCESSION } },
    });
    expect(
      code(await send('mutation limit (audited)', 'full', two, { a: input(ada[0]), b: input(h.imageSets.acme[0]) })),
    ).toBe('LIMIT_EXCEEDED');
    expect(
      code(
        await send(
          'cost limit',
          'partner',
          `query ($ds: String!) { imageSets(datastoreId: $ds, first: 50, filter: { seriesInstanceUid: "1.2" }) { edges { node { metadata { study { series { instances(first: 50) { edges { node { dicom } } } } } } } } } }`,
          { ds },
        ),
      ),
    ).toBe('LIMIT_EXCEEDED');
  });

  it('answers upstream faults and the deadline without patient values', async () => {
    const [target] = await h.importStudy('acme', 'faults');
    const metadataQuery = () => send('metadata read', 'full', EVERYTHING, { ds, id: target });
    for (const mode of ['error', 'throttle'] as const) {
      for (const operation of ['GetImageSetMetadata', 'GetImageSet', 'ListImageSetVersions']) {
        const res = await withFault({ operation, mode }, metadataQuery);
        expect(res.errors?.length).toBeGreaterThan(0);
      }
      const search = await withFault({ operation: 'SearchImageSets', mode }, () =>
        send('search under fault', 'full', SEARCH, { ds, filter: { patientId: ADA.id } }),
      );
      expect(search.errors?.length).toBeGreaterThan(0);
      const partner = await withFault({ operation: 'GetImageSetMetadata', mode }, () =>
        send('partner read under fault', 'partner', EVERYTHING, { ds, id: target }),
      );
      expect(partner.errors?.length).toBeGreaterThan(0);
    }
    const latest = await latestOf(target);
    const update = (label: string) =>
      send(label, 'full', UPDATE, {
        input: {
          datastoreId: ds,
          imageSetId: target,
          latestVersionId: latest,
          updates: { study: { ReferringPhysicianName: NEW_REFERRER } },
        },
      });
    expect(
      code(await withFault({ operation: 'UpdateImageSetMetadata', mode: 'error' }, () => update('update under error'))),
    ).toBe('UPSTREAM_UNAVAILABLE');
    expect(await latestOf(target)).toBe(latest);
    const copy = () =>
      send('copy under fault', 'full', COPY, {
        input: { datastoreId: ds, sourceImageSetId: target, sourceLatestVersionId: latest },
      });
    expect(code(await withFault({ operation: 'CopyImageSet', mode: 'error' }, copy))).toBe('UPSTREAM_UNAVAILABLE');
    await latestOf(target);
    expect(
      code(
        await withFault({ operation: 'DeleteImageSet', mode: 'throttle' }, () =>
          send('delete throttled', 'full', DELETE, { input: { datastoreId: ds, imageSetId: target } }),
        ),
      ),
    ).toBeDefined();
    // The deadline: a hung metadata read, and a hung update.
    const hung = await withFault({ operation: 'GetImageSetMetadata', mode: 'hang' }, metadataQuery);
    expect(hung.status).toBe(504);
    expectGraphQLError(hung, 'DEADLINE_EXCEEDED');
    const hungWrite = await withFault({ operation: 'UpdateImageSetMetadata', mode: 'hang' }, () =>
      update('update hung'),
    );
    expect(hungWrite.errors?.length).toBeGreaterThan(0);
  });

  it('reads the audit trail through the API, with paging', async () => {
    const first = expectData(await send('audit page', 'full', AUDIT, { first: 5 })).auditEvents;
    expect(first.pageInfo.hasNextPage).toBe(true);
    expectData(await send('audit next page', 'full', AUDIT, { first: 50, after: first.pageInfo.endCursor }));
    expectData(
      await send('audit filtered', 'fullKey', AUDIT, { first: 50, filter: { action: 'updateImageSetMetadata' } }),
    );
    expect(code(await send('partner reads audit', 'partner', AUDIT, { first: 5 }))).toBe('FORBIDDEN');
  });

  it('finds no patient value in any log line, error, header or audit record, nor in any response to a caller without phi:read', async () => {
    const matchers = leakMatchers(PATIENT_VALUES);
    const found: Array<{ where: string; value: string }> = [];
    const scan = (where: string, text: string): void => {
      for (const value of patientValuesIn(text, matchers)) found.push({ where, value });
    };

    h.logs.forEach((line, index) => scan(`log line ${index} (${String(line.event)})`, JSON.stringify(line)));
    await telemetry?.forceFlush();
    const finishedSpans = spans.getFinishedSpans();
    for (const span of finishedSpans) {
      const { name, attributes, events, status, links } = span;
      scan(`span ${name}`, JSON.stringify({ name, attributes, events, status, links }));
    }
    let errorsScanned = 0;
    let withheldBodies = 0;
    for (const exchange of exchanges) {
      const at = `${exchange.label} [${exchange.caller}, HTTP ${exchange.status}]`;
      scan(`${at} headers`, JSON.stringify(exchange.headers));
      for (const error of exchange.parsed?.errors ?? []) {
        errorsScanned += 1;
        scan(`${at} error`, JSON.stringify(error));
      }
      if (exchange.parsed?.extensions !== undefined)
        scan(`${at} extensions`, JSON.stringify(exchange.parsed.extensions));
      if (!PHI_READERS.has(exchange.caller)) {
        withheldBodies += 1;
        scan(`${at} body`, exchange.body);
      }
    }
    const records: AuditRecord[] = [];
    for (const tenantId of ['acme', 'globex']) {
      let afterSequence: number | undefined;
      for (;;) {
        const page = await store.list(tenantId, {
          first: 100,
          ...(afterSequence !== undefined ? { afterSequence } : {}),
        });
        records.push(...page.records);
        if (!page.hasNextPage || page.records.length === 0) break;
        afterSequence = present(page.records[page.records.length - 1], 'a last record').sequence;
      }
    }
    const labelOf = new Map(exchanges.map((exchange) => [String(exchange.headers['x-request-id']), exchange.label]));
    for (const record of records) {
      scan(
        `audit record of "${labelOf.get(record.requestId) ?? '(unknown request)'}" (${record.tenantId}#${record.sequence} ${record.action} ${record.outcome})`,
        JSON.stringify(record),
      );
    }

    // Where we looked: enough of everything that an empty scan cannot pass.
    const partnerBodies = exchanges.filter((exchange) => exchange.caller === 'partner' && exchange.parsed?.data).length;
    const counts = {
      values: PATIENT_VALUES.length,
      logLines: h.logs.length,
      spans: finishedSpans.length,
      exchanges: exchanges.length,
      errorsScanned,
      withheldBodies,
      partnerBodies,
      auditRecords: records.length,
    };
    const minimums: typeof counts = {
      values: 60,
      logLines: 300,
      spans: 300,
      exchanges: 150,
      errorsScanned: 80,
      withheldBodies: 40,
      partnerBodies: 15,
      auditRecords: 30,
    };
    expect(
      Object.keys(counts)
        .filter((key) => counts[key as keyof typeof counts] < minimums[key as keyof typeof counts])
        .map((key) => `${key}: ${counts[key as keyof typeof counts]}`),
    ).toEqual([]);
    expect([...new Set(records.map((record) => record.outcome))]).toEqual(
      expect.arrayContaining([
        'OK',
        'FORBIDDEN',
        'NOT_FOUND',
        'VERSION_CONFLICT',
        'BAD_USER_INPUT',
        'LIMIT_EXCEEDED',
        'UPSTREAM_UNAVAILABLE',
      ]),
    );

    // Positive control: the same matcher finds the demo patients where they belong, in `data` for phi:read.
    const granted = exchanges
      .filter((exchange) => PHI_READERS.has(exchange.caller))
      .map((exchange) => JSON.stringify(exchange.parsed?.data ?? null))
      .join('\n');
    for (const value of [
      ADA.name,
      ADA.id,
      ADA.birthDate,
      ALAN.name,
      NEW_REFERRER,
      NEW_ACCESSION,
      'Synthetic Data General Hospital',
    ]) {
      expect(patientValuesIn(granted, matchers)).toContain(value);
    }

    if (process.env.PHI_SCAN_REPORT) {
      console.log(
        `patient values (${PATIENT_VALUES.length}): ${PATIENT_VALUES.join(' | ')}\nscanned: ${JSON.stringify(counts)}\nfound:\n${found.map((leak) => `${leak.where}: ${leak.value}`).join('\n')}`,
      );
    }
    expect(found).toEqual([]);
  });
});
