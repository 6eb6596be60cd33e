import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/**
 * The explorer's browser bundle, built by scripts/build-explorer.ts (`npm run build`, and jest's
 * global setup) into dist/explorer/: content-hashed script and stylesheet files, and a manifest
 * naming them. The gateway reads it on the first request for the page and keeps it in memory.
 */
export const EXPLORER_MANIFEST_FILE = 'manifest.json';

export interface ExplorerManifest {
  /** File names (in the bundle folder) of the script and the stylesheet; each embeds its content hash. */
  script: string;
  stylesheet: string;
  /** Hash of everything the bundle is built from; the build skips work when it is unchanged. */
  sourceHash: string;
}

export interface ExplorerAsset {
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
}

export interface ExplorerBundle {
  manifest: ExplorerManifest;
  /** By file name, as the page links them. */
  assets: ReadonlyMap<string, ExplorerAsset>;
}

/** The repository (package) root: the same from src/ under ts-jest and from dist/src/ after the build. */
export function packageRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the explorer module');
    dir = parent;
  }
  return dir;
}

export const defaultExplorerBundleDir = (): string => join(packageRoot(), 'dist', 'explorer');

const gzipAsync = promisify(gzip);
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Undefined when the bundle has not been built (or is being rebuilt right now). */
export async function loadExplorerBundle(dir: string): Promise<ExplorerBundle | undefined> {
  let manifest: ExplorerManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, EXPLORER_MANIFEST_FILE), 'utf8')) as ExplorerManifest;
  } catch {
    return undefined;
  }
  const assets = new Map<string, ExplorerAsset>();
  for (const name of [manifest.script, manifest.stylesheet]) {
    const contentType = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
    if (!contentType) return undefined;
    let body: Buffer;
    try {
      body = await readFile(join(dir, name));
    } catch {
      return undefined;
    }
    assets.set(name, { contentType, body, gzipped: await gzipAsync(body, { level: 9 }) });
  }
  return { manifest, assets };
}
