import {
  CopyImageSetCommand,
  DeleteImageSetCommand,
  GetDatastoreCommand,
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  ListImageSetVersionsCommand,
  SearchImageSetsCommand,
  UpdateImageSetMetadataCommand,
  type CopyImageSetCommandInput,
  type MedicalImagingClient,
  type UpdateImageSetMetadataCommandInput,
} from '@aws-sdk/client-medical-imaging';
import type { TenantConfig } from '../auth/tenant-config';
import { BadUserInputError, GatewayError, NotFoundError, UpstreamUnavailableError } from '../errors/gateway-errors';
import type { ImagingPort } from './imaging-port';
import { KeyedQueue } from './keyed-queue';
import { DEFAULT_MAX_METADATA_BYTES, MetadataDecodeError, decodeMetadata } from './metadata-decode';
import {
  toCopyResultRecord,
  toDatastoreRecord,
  toDeleteResultRecord,
  toImageSetRecord,
  toSearchSummaryRecord,
  toUpdateResultRecord,
  toVersionRecord,
} from './record-mappers';
import type {
  CopyResultRecord,
  DatastoreRecord,
  DeleteResultRecord,
  ImageSetRecord,
  ImageSetVersionRecord,
  MetadataChangeDocument,
  MetadataDocument,
  SearchCriteriaInput,
  SearchSummaryRecord,
  UpdateResultRecord,
  UpstreamPage,
} from './records';
import {
  DEFAULT_BACKOFF,
  MAX_WRITE_ATTEMPTS,
  defaultSleep,
  runRead,
  runWrite,
  type RetryRuntime,
} from './retry-policy';
import { toSearchCriteria } from './search-criteria';
import { Semaphore } from './semaphore';
import { BodyTooLargeError, readBodyCapped } from './stream-body';
import { FAILURE_MESSAGES, classifyUpstreamError, describeForLog, toGatewayError, type UpstreamErrorKind } from './upstream-errors';
import {
  AMBIGUOUS_WRITE_MESSAGE,
  COPY_WORKFLOW_STATUSES,
  DEFAULT_CLOCK_SKEW_MS,
  DELETE_WORKFLOW_STATUSES,
  UPDATE_WORKFLOW_STATUSES,
  copySideFrom,
  findWrittenVersion,
  nextVersionId,
  pickNewCopyDestination,
  type WriteWindow,
} from './write-reconciliation';

/** One upstream HTTP call as it happened: ids, codes and timings only, never DICOM values. */
export interface UpstreamCallEvent {
  tenantId: string;
  operation: string;
  attempt: number;
  durationMs: number;
  outcome: 'ok' | 'error';
  errorKind?: UpstreamErrorKind;
  /** Error code and status (`ThrottlingException status 429`), from `describeForLog`. */
  error?: string;
  requestId?: string;
  /** Set on the reads made to find out whether an ambiguous write was applied. */
  reconciling?: boolean;
}

export interface ImagingServiceOptions {
  tenant: TenantConfig;
  client: MedicalImagingClient;
  clock?: () => Date;
  onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** Overrides for tests: backoff, sleep and jitter source. */
  retry?: Partial<RetryRuntime>;
  maxMetadataBytes?: number;
  clockSkewMs?: number;
}

const RESOURCE_ID = /^[0-9a-z]{32}$/;
const VERSION_ID = /^\d{1,19}$/;
const MAX_PAGE_SIZE = 50;
/** Reconciliation looks at this many candidate image sets at most (each costs a GetImageSet). */
const MAX_RECONCILE_CANDIDATES = 5;
const RECONCILE_VERSIONS_PAGE = 10;

type CallContext = { operation: string; reconciling?: boolean };

/**
 * HealthImaging for one tenant: its SDK client, its data store grant, a bound on its calls in
 * flight and one write at a time per image set. Every method checks the grant before any upstream
 * call and throws only gateway errors (or a plain Error for the unforeseen, masked later).
 */
export class ImagingService implements ImagingPort {
  readonly tenantId: string;
  private readonly tenant: TenantConfig;
  private readonly client: MedicalImagingClient;
  private readonly clock: () => Date;
  private readonly onUpstreamCall?: (event: UpstreamCallEvent) => void;
  private readonly retry: RetryRuntime;
  private readonly limiter: Semaphore;
  private readonly writes = new KeyedQueue();
  private readonly grant: ReadonlySet<string>;
  private readonly maxMetadataBytes: number;
  private readonly clockSkewMs: number;
  private readonly deadlineMs: number;

  constructor(options: ImagingServiceOptions) {
    this.tenant = options.tenant;
    this.tenantId = options.tenant.id;
    this.client = options.client;
    this.clock = options.clock ?? (() => new Date());
    this.onUpstreamCall = options.onUpstreamCall;
    this.retry = {
      backoff: options.retry?.backoff ?? DEFAULT_BACKOFF,
      sleep: options.retry?.sleep ?? defaultSleep,
      random: options.retry?.random ?? Math.random,
    };
    this.limiter = new Semaphore(Math.max(1, Math.floor(options.tenant.upstream.maxConcurrency)));
    this.grant = new Set(options.tenant.datastoreIds);
    this.maxMetadataBytes = options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES;
    this.clockSkewMs = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
    const { connectionTimeoutMs, requestTimeoutMs } = options.tenant.upstream;
    // The handler's requestTimeout stops waiting for headers; this deadline also covers a body
    // that stalls part-way (metadata documents can be large).
    this.deadlineMs = connectionTimeoutMs + requestTimeoutMs * 2;
  }

  grantedDatastoreIds(): readonly string[] {
    return this.tenant.datastoreIds;
  }

  async getDatastore(datastoreId: string): Promise<DatastoreRecord> {
    this.checkGrant(datastoreId);
    const output = await this.read({ operation: 'GetDatastore' }, (abortSignal) =>
      this.client.send(new GetDatastoreCommand({ datastoreId }), { abortSignal }),
    );
    if (!output.datastoreProperties) throw new Error('HealthImaging omitted datastoreProperties.');
    return toDatastoreRecord(output.datastoreProperties);
  }

  async searchImageSets(
    datastoreId: string,
    criteria: SearchCriteriaInput,
    page: { maxResults: number; nextToken?: string },
  ): Promise<UpstreamPage<SearchSummaryRecord>> {
    this.checkGrant(datastoreId);
    checkPageSize(page.maxResults);
    const searchCriteria = toSearchCriteria(criteria);
    const output = await this.read({ operation: 'SearchImageSets' }, (abortSignal) =>
      this.client.send(
        new SearchImageSetsCommand({
          datastoreId,
          searchCriteria,
          maxResults: page.maxResults,
          ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
        }),
        { abortSignal },
      ),
    );
    return withToken(
      (output.imageSetsMetadataSummaries ?? []).map((summary) => toSearchSummaryRecord(datastoreId, summary)),
      output.nextToken,
    );
  }

  async getImageSet(datastoreId: string, imageSetId: string, versionId?: string): Promise<ImageSetRecord> {
    this.checkGrant(datastoreId);
    checkResourceId(imageSetId, 'imageSetId');
    if (versionId !== undefined) checkVersionId(versionId, 'versionId');
    return this.fetchImageSet({ operation: 'GetImageSet' }, datastoreId, imageSetId, versionId);
  }

  async getImageSetMetadata(datastoreId: string, imageSetId: string, versionId?: string): Promise<MetadataDocument> {
    this.checkGrant(datastoreId);
    checkResourceId(imageSetId, 'imageSetId');
    if (versionId !== undefined) checkVersionId(versionId, 'versionId');
    return this.fetchMetadata({ operation: 'GetImageSetMetadata' }, datastoreId, imageSetId, versionId);
  }

  async listImageSetVersions(
    datastoreId: string,
    imageSetId: string,
    page: { maxResults: number; nextToken?: string },
  ): Promise<UpstreamPage<ImageSetVersionRecord>> {
    this.checkGrant(datastoreId);
    checkResourceId(imageSetId, 'imageSetId');
    checkPageSize(page.maxResults);
    return this.fetchVersions({ operation: 'ListImageSetVersions' }, datastoreId, imageSetId, page);
  }

  async copyImageSet(input: {
    datastoreId: string;
    sourceImageSetId: string;
    sourceLatestVersionId: string;
    destination?: { imageSetId: string; latestVersionId: string };
    copiableAttributes?: MetadataChangeDocument;
    force?: boolean;
    promoteToPrimary?: boolean;
  }): Promise<CopyResultRecord> {
    const { datastoreId, sourceImageSetId, destination } = input;
    this.checkGrant(datastoreId);
    checkResourceId(sourceImageSetId, 'sourceImageSetId');
    checkVersionId(input.sourceLatestVersionId, 'sourceLatestVersionId');
    if (destination) {
      checkResourceId(destination.imageSetId, 'destination.imageSetId');
      checkVersionId(destination.latestVersionId, 'destination.latestVersionId');
      if (destination.imageSetId === sourceImageSetId) {
        throw new BadUserInputError('The destination image set must differ from the source.', {
          invalidFields: ['destination.imageSetId'],
        });
      }
    }
    const request: CopyImageSetCommandInput = {
      datastoreId,
      sourceImageSetId,
      copyImageSetInformation: {
        sourceImageSet: {
          latestVersionId: input.sourceLatestVersionId,
          ...(input.copiableAttributes
            ? { DICOMCopies: { copiableAttributes: JSON.stringify(input.copiableAttributes) } }
            : {}),
        },
        ...(destination
          ? { destinationImageSet: { imageSetId: destination.imageSetId, latestVersionId: destination.latestVersionId } }
          : {}),
      },
      // GraphQL hands explicit nulls through; only real booleans go on the wire.
      ...(typeof input.force === 'boolean' ? { force: input.force } : {}),
      ...(typeof input.promoteToPrimary === 'boolean' ? { promoteToPrimary: input.promoteToPrimary } : {}),
    };
    const keys = [imageSetKey(datastoreId, sourceImageSetId)];
    if (destination) keys.push(imageSetKey(datastoreId, destination.imageSetId));

    return this.serialised(keys, async () => {
      const window = this.writeWindow();
      const outcome = await runWrite(
        (attempt) =>
          this.call({ operation: 'CopyImageSet' }, attempt, (abortSignal) =>
            this.client.send(new CopyImageSetCommand(request), { abortSignal }),
          ),
        MAX_WRITE_ATTEMPTS,
        this.retry,
      );
      if (outcome.ok) return toCopyResultRecord(outcome.value);
      if (outcome.decision === 'fail') {
        throw await this.writeFailure(outcome.error, datastoreId, destination?.imageSetId ?? sourceImageSetId);
      }
      const reconciled = await this.reconcileCopy(input, window);
      if (reconciled) return reconciled;
      throw new UpstreamUnavailableError(AMBIGUOUS_WRITE_MESSAGE('CopyImageSet'));
    });
  }

  async updateImageSetMetadata(input: {
    datastoreId: string;
    imageSetId: string;
    latestVersionId: string;
    updates?: { updatableAttributes?: MetadataChangeDocument; removableAttributes?: MetadataChangeDocument };
    revertToVersionId?: string;
    force?: boolean;
  }): Promise<UpdateResultRecord> {
    const { datastoreId, imageSetId } = input;
    this.checkGrant(datastoreId);
    checkResourceId(imageSetId, 'imageSetId');
    checkVersionId(input.latestVersionId, 'latestVersionId');
    const encoder = new TextEncoder();
    let updates: UpdateImageSetMetadataCommandInput['updateImageSetMetadataUpdates'];
    if (input.revertToVersionId != null) {
      if (input.updates != null) {
        throw new BadUserInputError('Give either metadata updates or a version to revert to, not both.', {
          invalidFields: ['updates', 'revertToVersionId'],
        });
      }
      checkVersionId(input.revertToVersionId, 'revertToVersionId');
      updates = { revertToVersionId: input.revertToVersionId };
    } else {
      const { updatableAttributes, removableAttributes } = input.updates ?? {};
      if (!updatableAttributes && !removableAttributes) {
        throw new BadUserInputError('Give metadata updates or a version to revert to.', {
          invalidFields: ['updates', 'revertToVersionId'],
        });
      }
      updates = {
        DICOMUpdates: {
          ...(updatableAttributes ? { updatableAttributes: encoder.encode(JSON.stringify(updatableAttributes)) } : {}),
          ...(removableAttributes ? { removableAttributes: encoder.encode(JSON.stringify(removableAttributes)) } : {}),
        },
      };
    }
    const request: UpdateImageSetMetadataCommandInput = {
      datastoreId,
      imageSetId,
      latestVersionId: input.latestVersionId,
      updateImageSetMetadataUpdates: updates,
      ...(typeof input.force === 'boolean' ? { force: input.force } : {}),
    };

    return this.serialised([imageSetKey(datastoreId, imageSetId)], async () => {
      const window = this.writeWindow();
      const outcome = await runWrite(
        (attempt) =>
          this.call({ operation: 'UpdateImageSetMetadata' }, attempt, (abortSignal) =>
            this.client.send(new UpdateImageSetMetadataCommand(request), { abortSignal }),
          ),
        MAX_WRITE_ATTEMPTS,
        this.retry,
      );
      if (outcome.ok) return toUpdateResultRecord(outcome.value);
      if (outcome.decision === 'fail') throw await this.writeFailure(outcome.error, datastoreId, imageSetId);
      const written = await this.reconcileVersion(
        datastoreId,
        imageSetId,
        { previousVersionId: input.latestVersionId, statuses: UPDATE_WORKFLOW_STATUSES },
        window,
      );
      if (!written) throw new UpstreamUnavailableError(AMBIGUOUS_WRITE_MESSAGE('UpdateImageSetMetadata'));
      const result: UpdateResultRecord = {
        datastoreId,
        imageSetId,
        latestVersionId: written.versionId,
        state: written.state,
      };
      if (written.workflowStatus !== undefined) result.workflowStatus = written.workflowStatus;
      if (written.createdAt !== undefined) result.createdAt = written.createdAt;
      if (written.updatedAt !== undefined) result.updatedAt = written.updatedAt;
      if (written.message !== undefined) result.message = written.message;
      return result;
    });
  }

  async deleteImageSet(datastoreId: string, imageSetId: string): Promise<DeleteResultRecord> {
    this.checkGrant(datastoreId);
    checkResourceId(imageSetId, 'imageSetId');
    return this.serialised([imageSetKey(datastoreId, imageSetId)], async () => {
      const outcome = await runWrite(
        (attempt) =>
          this.call({ operation: 'DeleteImageSet' }, attempt, (abortSignal) =>
            this.client.send(new DeleteImageSetCommand({ datastoreId, imageSetId }), { abortSignal }),
          ),
        MAX_WRITE_ATTEMPTS,
        this.retry,
      );
      if (outcome.ok) return toDeleteResultRecord(outcome.value);
      if (outcome.decision === 'fail') throw await this.writeFailure(outcome.error, datastoreId, imageSetId);
      // A deletion is visible on the image set itself: LOCKED/DELETING, then DELETED, then gone
      // (reads answer not found). Any other state proves nothing: the request may still be queued.
      // "Gone" is accepted although an image set that never existed looks the same: the request
      // would then have answered NOT_FOUND, and the end state the caller asked for holds either way.
      let latest: ImageSetRecord | undefined;
      try {
        latest = await this.fetchImageSet({ operation: 'GetImageSet', reconciling: true }, datastoreId, imageSetId);
      } catch (error) {
        if (error instanceof NotFoundError) {
          return { datastoreId, imageSetId, state: 'DELETED', workflowStatus: 'DELETED' };
        }
        latest = undefined;
      }
      if (
        latest &&
        (latest.state === 'DELETED' ||
          (latest.workflowStatus !== undefined && DELETE_WORKFLOW_STATUSES.includes(latest.workflowStatus)))
      ) {
        return {
          datastoreId,
          imageSetId,
          state: latest.state,
          workflowStatus: latest.workflowStatus ?? 'DELETED',
        };
      }
      throw new UpstreamUnavailableError(AMBIGUOUS_WRITE_MESSAGE('DeleteImageSet'));
    });
  }

  // ---- grant and upstream plumbing ----

  private checkGrant(datastoreId: string): void {
    // Same error, same message as an upstream ResourceNotFoundException: a foreign data store
    // must be indistinguishable from a missing one.
    if (!this.grant.has(datastoreId)) throw new NotFoundError(FAILURE_MESSAGES.notFound);
  }

  private writeWindow(): WriteWindow {
    return { startedAt: this.clock(), clockSkewMs: this.clockSkewMs };
  }

  private serialised<T>(keys: string[], task: () => Promise<T>): Promise<T> {
    // Sorted, so two copies between the same pair of image sets in opposite directions cannot
    // each hold one key while waiting for the other.
    const ordered = [...new Set(keys)].sort();
    const runFrom = (index: number): Promise<T> =>
      index === ordered.length ? task() : this.writes.run(ordered[index], () => runFrom(index + 1));
    return runFrom(0);
  }

  /** One upstream call: limited by the tenant's semaphore, bounded by a deadline, reported. */
  private call<T>(context: CallContext, attempt: number, exec: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return this.limiter.run(async () => {
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new Error('The upstream call exceeded its deadline.')),
        this.deadlineMs,
      );
      const started = performance.now();
      try {
        const value = await exec(controller.signal);
        this.report(context, attempt, started, undefined, value);
        return value;
      } catch (error) {
        this.report(context, attempt, started, error, undefined);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  private report(context: CallContext, attempt: number, started: number, error: unknown, value: unknown): void {
    if (!this.onUpstreamCall) return;
    const event: UpstreamCallEvent = {
      tenantId: this.tenantId,
      operation: context.operation,
      attempt,
      durationMs: Math.round(performance.now() - started),
      outcome: error === undefined ? 'ok' : 'error',
    };
    if (context.reconciling) event.reconciling = true;
    const source = (error ?? value) as { $metadata?: { requestId?: unknown } } | undefined;
    const requestId = source?.$metadata?.requestId;
    if (typeof requestId === 'string' && /^[A-Za-z0-9-]{1,128}$/.test(requestId)) event.requestId = requestId;
    if (error !== undefined) {
      event.errorKind = classifyUpstreamError(error);
      event.error = describeForLog(error);
    }
    try {
      this.onUpstreamCall(event);
    } catch {
      // An observer's failure must not change the outcome of the call it observes.
    }
  }

  /** A read with retries; failures leave as gateway errors. */
  private async read<T>(context: CallContext, exec: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await runRead(
        (attempt) => this.call(context, attempt, exec),
        this.tenant.upstream.maxReadAttempts,
        this.retry,
      );
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw toGatewayError(error, { retryAfterSeconds: this.retryAfterSeconds() });
    }
  }

  private retryAfterSeconds(): number {
    const { baseDelayMs, maxDelayMs } = this.retry.backoff;
    const attempts = Math.max(1, this.tenant.upstream.maxReadAttempts);
    return Math.max(1, Math.ceil(Math.min(maxDelayMs, baseDelayMs * 2 ** attempts) / 1000));
  }

  private async fetchImageSet(
    context: CallContext,
    datastoreId: string,
    imageSetId: string,
    versionId?: string,
  ): Promise<ImageSetRecord> {
    const output = await this.read(context, (abortSignal) =>
      this.client.send(
        new GetImageSetCommand({ datastoreId, imageSetId, ...(versionId !== undefined ? { versionId } : {}) }),
        { abortSignal },
      ),
    );
    return toImageSetRecord(output, versionId === undefined);
  }

  private async fetchVersions(
    context: CallContext,
    datastoreId: string,
    imageSetId: string,
    page: { maxResults: number; nextToken?: string },
  ): Promise<UpstreamPage<ImageSetVersionRecord>> {
    const output = await this.read(context, (abortSignal) =>
      this.client.send(
        new ListImageSetVersionsCommand({
          datastoreId,
          imageSetId,
          maxResults: page.maxResults,
          ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}),
        }),
        { abortSignal },
      ),
    );
    return withToken(
      (output.imageSetPropertiesList ?? []).map((item) => toVersionRecord(datastoreId, item)),
      output.nextToken,
    );
  }

  private async fetchMetadata(
    context: CallContext,
    datastoreId: string,
    imageSetId: string,
    versionId?: string,
  ): Promise<MetadataDocument> {
    const bytes = await this.read(context, async (abortSignal) => {
      const output = await this.client.send(
        new GetImageSetMetadataCommand({ datastoreId, imageSetId, ...(versionId !== undefined ? { versionId } : {}) }),
        { abortSignal },
      );
      try {
        return await readBodyCapped(output.imageSetMetadataBlob, this.maxMetadataBytes, abortSignal);
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw metadataTooLarge();
        throw error;
      }
    });
    try {
      return await decodeMetadata(bytes, this.maxMetadataBytes);
    } catch (error) {
      if (error instanceof MetadataDecodeError && /exceeds/.test(error.message)) throw metadataTooLarge();
      throw error;
    }
  }

  /** A definite write failure, mapped; conflicts carry what the image set looks like now. */
  private async writeFailure(error: unknown, datastoreId: string, imageSetId: string): Promise<Error> {
    const kind = classifyUpstreamError(error);
    if (kind !== 'conflict') return toGatewayError(error, { retryAfterSeconds: this.retryAfterSeconds() });
    const current = await this.tryReconcileRead(() =>
      this.fetchImageSet({ operation: 'GetImageSet' }, datastoreId, imageSetId),
    );
    return toGatewayError(error, {
      current: current
        ? {
            latestVersionId: current.versionId,
            state: current.state,
            ...(current.workflowStatus !== undefined ? { workflowStatus: current.workflowStatus } : {}),
          }
        : undefined,
    });
  }

  private async tryReconcileRead<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch {
      return undefined;
    }
  }

  /** Reads the image set and its newest versions to find the version a write would have made. */
  private async reconcileVersion(
    datastoreId: string,
    imageSetId: string,
    expected: { previousVersionId: string; statuses: readonly string[] },
    window: WriteWindow,
  ): Promise<ImageSetVersionRecord | undefined> {
    const context = { operation: 'GetImageSet', reconciling: true };
    const latest = await this.tryReconcileRead(() => this.fetchImageSet(context, datastoreId, imageSetId));
    if (!latest) return undefined;
    let versions: readonly ImageSetVersionRecord[] = [];
    if (latest.versionId !== nextVersionId(expected.previousVersionId)) {
      const page = await this.tryReconcileRead(() =>
        this.fetchVersions({ operation: 'ListImageSetVersions', reconciling: true }, datastoreId, imageSetId, {
          maxResults: RECONCILE_VERSIONS_PAGE,
        }),
      );
      versions = page?.items ?? [];
    }
    return findWrittenVersion({ latest, versions }, expected, window);
  }

  private async reconcileCopy(
    input: {
      datastoreId: string;
      sourceImageSetId: string;
      sourceLatestVersionId: string;
      destination?: { imageSetId: string; latestVersionId: string };
      copiableAttributes?: MetadataChangeDocument;
      promoteToPrimary?: boolean;
    },
    window: WriteWindow,
  ): Promise<CopyResultRecord | undefined> {
    const { datastoreId, sourceImageSetId, destination } = input;
    let destinationRecord: ImageSetVersionRecord & { arn?: string } | undefined;
    if (destination) {
      destinationRecord = await this.reconcileVersion(
        datastoreId,
        destination.imageSetId,
        { previousVersionId: destination.latestVersionId, statuses: COPY_WORKFLOW_STATUSES },
        window,
      );
    } else {
      destinationRecord = await this.findNewCopyDestination(input, window);
    }
    if (!destinationRecord) return undefined;
    const source = await this.tryReconcileRead(() =>
      this.fetchImageSet({ operation: 'GetImageSet', reconciling: true }, datastoreId, sourceImageSetId),
    );
    return {
      datastoreId,
      source: source
        ? copySideFrom(source)
        : { imageSetId: sourceImageSetId, latestVersionId: input.sourceLatestVersionId },
      destination: copySideFrom(destinationRecord),
    };
  }

  /**
   * A copy into a new image set names no id we could read back. The new set shares the source's
   * series, so it is searched for by that series and a creation time after the call started; it
   * counts only when exactly one such set exists (see `pickNewCopyDestination`).
   */
  private async findNewCopyDestination(
    input: {
      datastoreId: string;
      sourceImageSetId: string;
      sourceLatestVersionId: string;
      copiableAttributes?: MetadataChangeDocument;
      promoteToPrimary?: boolean;
    },
    window: WriteWindow,
  ): Promise<ImageSetRecord | undefined> {
    const { datastoreId, sourceImageSetId } = input;
    let seriesUids = Object.keys(input.copiableAttributes?.Study?.Series ?? {});
    if (seriesUids.length === 0) {
      const metadata = await this.tryReconcileRead(() =>
        this.fetchMetadata(
          { operation: 'GetImageSetMetadata', reconciling: true },
          datastoreId,
          sourceImageSetId,
          input.sourceLatestVersionId,
        ),
      );
      seriesUids = Object.keys(metadata?.Study.Series ?? {});
    }
    if (seriesUids.length !== 1) return undefined;
    const seriesInstanceUid = seriesUids[0];
    const from = new Date(window.startedAt.getTime() - window.clockSkewMs);
    const to = new Date(this.clock().getTime() + window.clockSkewMs);
    const found = await this.tryReconcileRead(() =>
      this.read({ operation: 'SearchImageSets', reconciling: true }, (abortSignal) =>
        this.client.send(
          new SearchImageSetsCommand({
            datastoreId,
            maxResults: MAX_PAGE_SIZE,
            searchCriteria: {
              filters: [
                { operator: 'EQUAL', values: [{ DICOMSeriesInstanceUID: seriesInstanceUid }] },
                { operator: 'BETWEEN', values: [{ createdAt: from }, { createdAt: to }] },
              ],
            },
          }),
          { abortSignal },
        ),
      ),
    );
    if (!found) return undefined;
    const summaries = (found.imageSetsMetadataSummaries ?? []).filter(
      (summary) => summary.imageSetId !== sourceImageSetId && summary.version === 1,
    );
    // An unseen page could hold another candidate, so a partial answer proves nothing.
    if (found.nextToken || summaries.length === 0 || summaries.length > MAX_RECONCILE_CANDIDATES) return undefined;
    const candidates: ImageSetRecord[] = [];
    for (const summary of summaries) {
      const record = await this.tryReconcileRead(() =>
        this.fetchImageSet({ operation: 'GetImageSet', reconciling: true }, datastoreId, summary.imageSetId ?? ''),
      );
      if (!record) return undefined;
      candidates.push(record);
    }
    return pickNewCopyDestination(
      candidates,
      { sourceImageSetId, promoteToPrimary: input.promoteToPrimary === true },
      window,
    );
  }
}

function imageSetKey(datastoreId: string, imageSetId: string): string {
  return `${datastoreId}/${imageSetId}`;
}

function withToken<T>(items: T[], nextToken: string | undefined): UpstreamPage<T> {
  return nextToken ? { items, nextToken } : { items };
}

function checkResourceId(value: string, field: string): void {
  if (!RESOURCE_ID.test(value)) {
    throw new BadUserInputError(`${field} must be 32 lowercase letters or digits.`, { invalidFields: [field] });
  }
}

function checkVersionId(value: string, field: string): void {
  if (!VERSION_ID.test(value)) {
    throw new BadUserInputError(`${field} must be a decimal version number.`, { invalidFields: [field] });
  }
}

function checkPageSize(maxResults: number): void {
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`maxResults must be an integer from 1 to ${MAX_PAGE_SIZE}.`, {
      invalidFields: ['maxResults'],
    });
  }
}

function metadataTooLarge(): Error {
  return new BadUserInputError('The image set metadata document is larger than this gateway serves.', {
    reason: 'METADATA_TOO_LARGE',
  });
}
