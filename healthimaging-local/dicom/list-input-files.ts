import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** What an import job finds under its input prefix. */
export interface InputListing {
  /** POSIX-style paths relative to the listed folder, sorted so a job processes files in a stable order. */
  files: string[];
  totalBytes: number;
  /** Folders below the prefix (the prefix itself not counted). */
  folders: number;
}

/**
 * Every regular file under a folder whose path starts with `namePrefix` (the local image of the
 * keys under an S3 prefix), recursively. Symbolic links are skipped: S3 has none, and following
 * one could read outside the S3 folder. A missing folder is an empty prefix.
 */
export async function listInputFiles(root: string, namePrefix = ''): Promise<InputListing> {
  const listing: InputListing = { files: [], totalBytes: 0, folders: 0 };
  async function walk(dir: string, prefix: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && dir === root) return;
      throw error;
    }
    for (const entry of entries) {
      if (dir === root && !entry.name.startsWith(namePrefix)) continue;
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        listing.folders += 1;
        await walk(full, relative);
      } else if (entry.isFile()) {
        listing.files.push(relative);
        listing.totalBytes += (await fs.stat(full)).size;
      }
    }
  }
  await walk(root, '');
  listing.files.sort();
  return listing;
}
