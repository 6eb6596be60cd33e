import type { InputListing } from './list-input-files';

/**
 * The per-job input quotas (docs/healthimaging-behaviour.md#quotas-and-throttling): files per job
 * (5,000, adjustable in the real service, so configurable here), total size (10 GB) and nested
 * folders (10,000). A job over any of them reads nothing and ends FAILED with the reason as its
 * message.
 */
export interface ImportQuotas {
  maxFiles: number;
  maxTotalBytes: number;
  maxFolders: number;
}

export const DEFAULT_IMPORT_QUOTAS: Readonly<ImportQuotas> = Object.freeze({
  maxFiles: 5000,
  maxTotalBytes: 10 * 1024 ** 3,
  maxFolders: 10_000,
});

/** Ends a job as FAILED before it imports anything; the message is safe for `jobProperties.message`. */
export class ImportJobRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportJobRejected';
  }
}

export function checkImportQuotas(listing: InputListing, quotas: ImportQuotas): void {
  if (listing.files.length > quotas.maxFiles) {
    throw new ImportJobRejected(
      `INVALID_REQUEST: The input holds ${listing.files.length} files, more than the ${quotas.maxFiles} an import job may read`,
    );
  }
  if (listing.totalBytes > quotas.maxTotalBytes) {
    throw new ImportJobRejected(
      `INVALID_REQUEST: The input holds more than the ${quotas.maxTotalBytes} bytes an import job may read`,
    );
  }
  if (listing.folders > quotas.maxFolders) {
    throw new ImportJobRejected(
      `INVALID_REQUEST: The input nests ${listing.folders} folders, more than the ${quotas.maxFolders} an import job may read`,
    );
  }
}
