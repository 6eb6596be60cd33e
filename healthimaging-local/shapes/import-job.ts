/** A DICOM import job as the service describes it (docs/healthimaging-behaviour.md#imports). */
export type JobStatus = 'SUBMITTED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export const JOB_STATUSES: readonly JobStatus[] = ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'];

export interface ImportJobRecord {
  datastoreId: string;
  jobId: string;
  jobName: string;
  jobStatus: JobStatus;
  dataAccessRoleArn: string;
  inputS3Uri: string;
  outputS3Uri: string;
  inputOwnerAccountId: string | null;
  submittedAt: number;
  endedAt: number | null;
  message: string | null;
}
