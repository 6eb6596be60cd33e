import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

export const S3_URI_PATTERN = /^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/;

/**
 * S3 over a folder: `<s3Root>/<bucket>/` holds the bucket's objects, an object's key is its path
 * below the bucket folder with `/` separators. Keys are strings, never paths: a prefix matches
 * every key that starts with it (`.../goo` matches `.../good/a.dcm`, a full key matches its
 * object), and `..` or `.` is a literal key segment that no file can hold, never a step up.
 * Symbolic links are not objects (the listing skips them), and the folders the server reads or
 * writes are checked by their real paths, so a link cannot lead outside the S3 folder.
 */
export class S3LocationError extends Error {}

export interface InputPrefix {
  /** The folder holding every key that can match: the bucket plus the prefix up to its last `/`. */
  dir: string;
  /** The prefix's text after its last `/`: a name filter on the entries of `dir`. */
  namePrefix: string;
  /** The key of `dir` (the prefix up to its last `/`), to which listed relative paths append. */
  keyDir: string;
}

function parse(uri: string): { bucket: string; key: string } {
  const [, bucket, key] = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri) ?? [];
  if (bucket === undefined) throw new S3LocationError('Not an s3:// URI');
  return { bucket, key: key ?? '' };
}

/** A key segment a file system folder can hold (no empty, `.` or `..` segment). */
const storable = (segments: string[]): boolean => segments.every((s) => s !== '' && s !== '.' && s !== '..');

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function inside(root: string, path: string): boolean {
  const real = realpathSync(path);
  return real === root || real.startsWith(root + sep);
}

function bucketDir(s3Root: string, bucket: string, which: 'input' | 'output'): { root: string; dir: string } {
  const root = realpathSync(s3Root);
  const dir = join(root, bucket);
  if (!isDirectory(dir)) throw new S3LocationError(`The ${which} S3 bucket ${bucket} does not exist`);
  if (!inside(root, dir)) throw new S3LocationError(`The ${which} S3 bucket ${bucket} is not accessible`);
  return { root, dir };
}

/**
 * Where the keys of an input prefix live, or `undefined` when no key can match it (its folder
 * part does not exist or holds a segment no file can have): an empty listing, as in S3.
 */
export function resolveInputPrefix(s3Root: string, uri: string): InputPrefix | undefined {
  const { bucket, key } = parse(uri);
  const { root, dir: bucketFolder } = bucketDir(s3Root, bucket, 'input');
  const cut = key.lastIndexOf('/') + 1;
  const keyDir = key.slice(0, cut);
  const namePrefix = key.slice(cut);
  const segments = keyDir ? keyDir.slice(0, -1).split('/') : [];
  if (!storable(segments)) return undefined;
  const dir = join(bucketFolder, ...segments);
  if (!isDirectory(dir)) return undefined;
  if (!inside(root, dir)) throw new S3LocationError('The input S3 location is not accessible');
  return { dir, namePrefix, keyDir };
}

/**
 * The folder a job's report goes to (`<outputS3Uri>/<job folder>/...`). AWS fails a job whose
 * output bucket does not exist rather than creating it; a prefix this folder cannot hold (an
 * empty, `.` or `..` segment, or a segment that is an existing object) fails with its reason.
 */
export function resolveOutputPrefix(s3Root: string, uri: string): string {
  const { bucket, key } = parse(uri);
  const { root, dir: bucketFolder } = bucketDir(s3Root, bucket, 'output');
  const segments = key.endsWith('/') ? key.slice(0, -1).split('/') : key.split('/');
  if (key !== '' && !storable(segments)) {
    throw new S3LocationError(
      'The output S3 prefix has an empty, "." or ".." segment, which HealthImaging Local cannot store',
    );
  }
  let dir = bucketFolder;
  for (const segment of key === '' ? [] : segments) {
    dir = join(dir, segment);
    let stat;
    try {
      stat = statSync(dir);
    } catch {
      break; // created when the report is written
    }
    if (!stat.isDirectory()) {
      throw new S3LocationError(
        'The output S3 prefix runs through an existing object, which HealthImaging Local cannot store',
      );
    }
    if (!inside(root, dir)) throw new S3LocationError('The output S3 location is not accessible');
  }
  return join(bucketFolder, ...(key === '' ? [] : segments));
}
