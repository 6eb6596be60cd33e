import { join, resolve, sep } from 'node:path';
import { validation } from '../errors';

export const S3_URI_PATTERN = /^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/;

/**
 * `s3://bucket/prefix` → `<s3Root>/bucket/prefix`. Rejects prefixes that would climb out of the
 * root (`..`), which real S3 keys may contain but a file system path must not.
 */
export function s3UriToPath(s3Root: string, uri: string): string {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!m) throw validation('Not an s3:// URI');
  const root = resolve(s3Root);
  const path = resolve(join(root, m[1], m[2] ?? ''));
  if (path !== root && !path.startsWith(root + sep)) throw validation('The S3 URI escapes the local S3 root');
  return path;
}
