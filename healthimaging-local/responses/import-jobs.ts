import { S3_URI_PATTERN } from '../model/s3-paths';
import { validation } from '../shapes/errors';
import { JOB_STATUSES, type ImportJobRecord } from '../shapes/import-job';
import { epochSeconds } from '../shapes/times';
import { datastoreFor, grantedDatastoreId } from './access';
import type { Handler } from './handler';
import { CLIENT_TOKEN, fingerprint } from './idempotency';
import { checkString, enumValue, jsonBody, queryMaxResults, queryString, stringMember } from './input';
import { isOffset } from './page-tokens';
import { jsonResponse } from './wire';

const JOB_NAME = { min: 1, max: 64, pattern: /^[A-Za-z0-9._/#-]+$/ };
const ROLE_ARN = { min: 20, max: 2048, pattern: /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/ };
const S3_URI = { min: 1, max: 1024, pattern: S3_URI_PATTERN };
const ACCOUNT_ID = { min: 12, max: 12, pattern: /^\d{12}$/ };

export const startDicomImportJob: Handler = (ctx, { model }) => {
  const body = jsonBody(ctx);
  const jobName = stringMember(body, 'jobName', false, JOB_NAME);
  const dataAccessRoleArn = stringMember(body, 'dataAccessRoleArn', true, ROLE_ARN);
  const clientToken = stringMember(body, 'clientToken', true, CLIENT_TOKEN);
  const inputS3Uri = stringMember(body, 'inputS3Uri', true, S3_URI);
  const outputS3Uri = stringMember(body, 'outputS3Uri', true, S3_URI);
  const inputOwnerAccountId = stringMember(body, 'inputOwnerAccountId', false, ACCOUNT_ID);
  if (body.importConfiguration !== undefined) {
    throw validation('importConfiguration is not supported by HealthImaging Local');
  }

  const datastoreId = grantedDatastoreId(ctx);
  const answer = model.importJobs.start({
    datastoreId,
    clientToken,
    fingerprint: fingerprint([datastoreId, jobName, dataAccessRoleArn, inputS3Uri, outputS3Uri, inputOwnerAccountId]),
    jobName,
    dataAccessRoleArn,
    inputS3Uri,
    outputS3Uri,
    inputOwnerAccountId,
  });
  return jsonResponse(answer);
};

const JOB_ID = { min: 1, max: 32, pattern: /^[0-9a-z]+$/ };

function jobProperties(job: ImportJobRecord) {
  return {
    jobId: job.jobId,
    jobName: job.jobName,
    jobStatus: job.jobStatus,
    datastoreId: job.datastoreId,
    dataAccessRoleArn: job.dataAccessRoleArn,
    inputS3Uri: job.inputS3Uri,
    outputS3Uri: job.outputS3Uri,
    submittedAt: epochSeconds(job.submittedAt),
    endedAt: job.endedAt === null ? undefined : epochSeconds(job.endedAt),
    message: job.message ?? undefined,
  };
}

export const getDicomImportJob: Handler = (ctx, services) => {
  const ds = datastoreFor(ctx, services, { requireActive: false });
  const jobId = checkString('jobId', ctx.params.jobId ?? '', JOB_ID);
  return jsonResponse({ jobProperties: jobProperties(services.model.importJobs.get(ds.datastoreId, jobId)) });
};

export const listDicomImportJobs: Handler = (ctx, services) => {
  const ds = datastoreFor(ctx, services, { requireActive: false });
  const status = enumValue('jobStatus', queryString(ctx, 'jobStatus'), JOB_STATUSES);
  const maxResults = queryMaxResults(ctx);
  const scope = `ListDICOMImportJobs/${ds.datastoreId}/${status ?? ''}`;
  const offset = services.pageTokens.open(scope, queryString(ctx, 'nextToken'), isOffset) ?? 0;
  const jobs = services.model.importJobs.list(ds.datastoreId, status);
  const page = jobs.slice(offset, offset + maxResults);
  return jsonResponse({
    jobSummaries: page.map((job) => {
      const { inputS3Uri: _i, outputS3Uri: _o, ...summary } = jobProperties(job);
      return summary;
    }),
    nextToken: offset + maxResults < jobs.length ? services.pageTokens.issue(scope, offset + maxResults) : undefined,
  });
};
