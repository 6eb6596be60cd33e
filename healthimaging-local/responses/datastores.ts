import { assertAccountWide, grantCovers } from '../shapes/access-grant';
import { datastoreArn } from '../arns';
import { ServiceError, conflict, notFound } from '../shapes/errors';
import { newResourceId } from '../shapes/ids';
import { MAX_DATASTORES, MAX_TAGS_PER_RESOURCE } from '../shapes/quotas';
import { DATASTORE_STATUSES, type DatastoreRecord } from '../shapes/datastore';
import { epochSeconds, jsonResponse } from '../wire';
import { datastoreFor } from './access';
import type { Handler, RequestContext } from './handler';
import { CLIENT_TOKEN, fingerprint, replay } from './idempotency';
import { enumValue, jsonBody, queryMaxResults, queryString, stringMember, tagMap } from './input';
import { validation } from '../shapes/errors';

const FORMATS = ['HTJ2K', 'JPEG_2000_LOSSLESS'] as const;

const NAME = { min: 1, max: 256, pattern: /^[A-Za-z0-9._/#-]+$/ };
const KMS_ARN = {
  min: 1,
  max: 512,
  pattern:
    /^arn:aws[a-zA-Z-]{0,16}:kms:[a-z]{2}(-[a-z]{1,16}){1,3}-\d{1}:\d{12}:((key\/[a-zA-Z0-9-]{36})|(alias\/[a-zA-Z0-9-_/]{1,256}))$/,
};
const LAMBDA_ARN = {
  min: 1,
  max: 256,
  pattern: /^arn:aws(-[^:]+)?:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/,
};

function summary(ds: DatastoreRecord, ctx: RequestContext, accountId: string) {
  return {
    datastoreId: ds.datastoreId,
    datastoreName: ds.datastoreName,
    datastoreStatus: ds.datastoreStatus,
    datastoreArn: datastoreArn(ctx.region, accountId, ds.datastoreId),
    createdAt: epochSeconds(ds.createdAt),
    updatedAt: epochSeconds(ds.updatedAt),
  };
}

export const createDatastore: Handler = (ctx, { store, model, settings, datastoreLifecycle }) => {
  assertAccountWide(ctx.grant, 'CreateDatastore');
  const body = jsonBody(ctx);
  const clientToken = stringMember(body, 'clientToken', true, CLIENT_TOKEN);
  const name = stringMember(body, 'datastoreName', false, NAME);
  const tags = body.tags === undefined ? {} : tagMap('tags', body.tags);
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE)
    throw validation(`At most ${MAX_TAGS_PER_RESOURCE} tags per resource`);
  const kmsKeyArn = stringMember(body, 'kmsKeyArn', false, KMS_ARN);
  const lambdaAuthorizerArn = stringMember(body, 'lambdaAuthorizerArn', false, LAMBDA_ARN);
  const format = enumValue('losslessStorageFormat', stringMember(body, 'losslessStorageFormat'), FORMATS) ?? 'HTJ2K';

  const print = fingerprint([name, tags, kmsKeyArn, lambdaAuthorizerArn, format]);
  const response = store.tx(() => {
    const previous = replay<{ datastoreId: string; datastoreStatus: string }>(
      store,
      'CreateDatastore',
      clientToken,
      print,
    );
    if (previous) return previous;
    if (store.datastores.countNotDeleted() >= MAX_DATASTORES) {
      throw new ServiceError(
        'ServiceQuotaExceededException',
        `At most ${MAX_DATASTORES} data stores per account and region`,
      );
    }
    const id = newResourceId();
    const at = model.now();
    store.datastores.insert({
      datastoreId: id,
      datastoreName: name ?? id,
      datastoreStatus: 'CREATING',
      kmsKeyArn: kmsKeyArn ?? null,
      lambdaAuthorizerArn: lambdaAuthorizerArn ?? null,
      losslessStorageFormat: format,
      createdAt: at,
      updatedAt: at,
      transitionDueAt: at + settings.datastoreDelayMs,
    });
    store.tags.put(id, tags);
    const result = { datastoreId: id, datastoreStatus: 'CREATING' };
    store.clientTokens.put('CreateDatastore', clientToken, print, result, at);
    datastoreLifecycle.schedule(id, settings.datastoreDelayMs);
    return result;
  });
  return jsonResponse(response);
};

export const getDatastore: Handler = (ctx, services) => {
  const ds = datastoreFor(ctx, services, { requireActive: false });
  return jsonResponse({
    datastoreProperties: {
      ...summary(ds, ctx, services.settings.accountId),
      kmsKeyArn: ds.kmsKeyArn ?? undefined,
      lambdaAuthorizerArn: ds.lambdaAuthorizerArn ?? undefined,
      losslessStorageFormat: ds.losslessStorageFormat,
    },
  });
};

const isCursor = (p: unknown): p is [number, string] =>
  Array.isArray(p) && p.length === 2 && Number.isSafeInteger(p[0]) && typeof p[1] === 'string';

export const listDatastores: Handler = (ctx, { store, settings, pageTokens }) => {
  const status = enumValue('datastoreStatus', queryString(ctx, 'datastoreStatus'), DATASTORE_STATUSES);
  const maxResults = queryMaxResults(ctx);
  // The key id is in the scope: a token of one caller's view cannot page another's.
  const scope = `ListDatastores/${status ?? ''}/${ctx.grant.accessKeyId}`;
  const after = pageTokens.open(scope, queryString(ctx, 'nextToken'), isCursor);
  const visible = store.datastores
    .all()
    .filter((ds) => grantCovers(ctx.grant, ds.datastoreId))
    .filter((ds) => !status || ds.datastoreStatus === status)
    .filter((ds) => !after || ds.createdAt > after[0] || (ds.createdAt === after[0] && ds.datastoreId > after[1]));
  const page = visible.slice(0, maxResults);
  const last = page[page.length - 1];
  return jsonResponse({
    datastoreSummaries: page.map((ds) => summary(ds, ctx, settings.accountId)),
    nextToken: visible.length > maxResults ? pageTokens.issue(scope, [last.createdAt, last.datastoreId]) : undefined,
  });
};

export const deleteDatastore: Handler = (ctx, services) => {
  const { store, settings, datastoreLifecycle } = services;
  const result = store.tx(() => {
    const ds = datastoreFor(ctx, services, { requireActive: false });
    if (ds.datastoreStatus === 'DELETED') throw notFound(`Datastore ${ds.datastoreId} does not exist`);
    if (ds.datastoreStatus === 'DELETING') return { datastoreId: ds.datastoreId, datastoreStatus: 'DELETING' };
    if (ds.datastoreStatus === 'CREATING') throw conflict('The data store is still being created');
    if (store.imageSets.countLive(ds.datastoreId) > 0) {
      throw conflict('The data store still contains image sets; delete them first');
    }
    if (store.importJobs.countRunning(ds.datastoreId) > 0) throw conflict('The data store has import jobs in progress');
    const at = services.model.now();
    store.datastores.setStatus(ds.datastoreId, 'DELETING', at, at + settings.datastoreDelayMs);
    datastoreLifecycle.schedule(ds.datastoreId, settings.datastoreDelayMs);
    return { datastoreId: ds.datastoreId, datastoreStatus: 'DELETING' };
  });
  return jsonResponse(result);
};
