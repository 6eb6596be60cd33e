import {
  GetDatastoreCommand,
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  ListImageSetVersionsCommand,
  SearchImageSetsCommand,
  type MedicalImagingClient,
  type SearchCriteria,
} from '@aws-sdk/client-medical-imaging';
import { BadUserInputError } from '../../errors/gateway-errors';
import { MetadataDecodeError, decodeMetadata } from './metadata-decode';
import { toDatastoreRecord, toImageSetRecord, toSearchSummaryRecord, toVersionRecord } from './to-records';
import type {
  DatastoreRecord,
  ImageSetRecord,
  ImageSetVersionRecord,
  MetadataDocument,
  SearchSummaryRecord,
  UpstreamPage,
} from '../records';
import { BodyTooLargeError, readBodyCapped } from './stream-body';
import type { CallContext, UpstreamCaller } from './upstream-caller';

export interface PageRequest {
  maxResults: number;
  nextToken?: string;
}

/**
 * The five HealthImaging reads, as records. No grant check and no input check here: the service
 * does both before it calls, and the write reconciler reuses these reads for what it must verify.
 * Every call names its context, so the observer can tell reconciliation reads from the caller's.
 */
export class UpstreamReads {
  constructor(
    private readonly caller: UpstreamCaller,
    private readonly client: MedicalImagingClient,
    private readonly maxMetadataBytes: number,
  ) {}

  async datastore(context: CallContext, datastoreId: string): Promise<DatastoreRecord> {
    const output = await this.caller.read(context, (abortSignal) =>
      this.client.send(new GetDatastoreCommand({ datastoreId }), { abortSignal }),
    );
    if (!output.datastoreProperties) throw new Error('HealthImaging omitted datastoreProperties.');
    return toDatastoreRecord(output.datastoreProperties);
  }

  async search(
    context: CallContext,
    datastoreId: string,
    searchCriteria: SearchCriteria,
    page: PageRequest,
  ): Promise<UpstreamPage<SearchSummaryRecord>> {
    const output = await this.caller.read(context, (abortSignal) =>
      this.client.send(new SearchImageSetsCommand({ datastoreId, searchCriteria, ...pageMembers(page) }), {
        abortSignal,
      }),
    );
    return withToken(
      (output.imageSetsMetadataSummaries ?? []).map((summary) => toSearchSummaryRecord(datastoreId, summary)),
      output.nextToken,
    );
  }

  /** `versionId` omitted: the latest version. */
  async imageSet(
    context: CallContext,
    datastoreId: string,
    imageSetId: string,
    versionId?: string,
  ): Promise<ImageSetRecord> {
    const output = await this.caller.read(context, (abortSignal) =>
      this.client.send(
        new GetImageSetCommand({ datastoreId, imageSetId, ...(versionId !== undefined ? { versionId } : {}) }),
        { abortSignal },
      ),
    );
    return toImageSetRecord(output, versionId === undefined);
  }

  async versions(
    context: CallContext,
    datastoreId: string,
    imageSetId: string,
    page: PageRequest,
  ): Promise<UpstreamPage<ImageSetVersionRecord>> {
    const output = await this.caller.read(context, (abortSignal) =>
      this.client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId, ...pageMembers(page) }), {
        abortSignal,
      }),
    );
    return withToken(
      (output.imageSetPropertiesList ?? []).map((item) => toVersionRecord(datastoreId, item)),
      output.nextToken,
    );
  }

  /** Fetches, gunzips and parses; the body is read under the call's deadline and size cap. */
  async metadata(
    context: CallContext,
    datastoreId: string,
    imageSetId: string,
    versionId?: string,
  ): Promise<MetadataDocument> {
    const bytes = await this.caller.read(context, async (abortSignal) => {
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
}

function pageMembers(page: PageRequest): PageRequest {
  return { maxResults: page.maxResults, ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}) };
}

function withToken<T>(items: T[], nextToken: string | undefined): UpstreamPage<T> {
  return nextToken ? { items, nextToken } : { items };
}

function metadataTooLarge(): Error {
  return new BadUserInputError('The image set metadata document is larger than this gateway serves.', {
    reason: 'METADATA_TOO_LARGE',
  });
}
