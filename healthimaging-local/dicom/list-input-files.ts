import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Every regular file under a directory (the local image of an S3 prefix), recursively, as
 * POSIX-style paths relative to it, sorted so that a job processes files in a stable order.
 * A missing directory is an empty prefix.
 */
export async function listInputFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && dir === root) return;
      throw error;
    }
    for (const entry of entries) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), relative);
      else if (entry.isFile()) out.push(relative);
    }
  }
  await walk(root, '');
  return out.sort();
}
