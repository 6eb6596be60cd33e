import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { build } from 'esbuild';
import {
  defaultExplorerBundleDir,
  EXPLORER_MANIFEST_FILE,
  packageRoot,
  type ExplorerManifest,
} from '../src/http/explorer/explorer-bundle';

/**
 * Bundles web/explorer/ (GraphiQL, React and their CSS, fonts inlined) into dist/explorer/ with
 * esbuild: the gateway serves these files at /explorer, so the explorer needs no CDN. Run by
 * `npm run build` and by jest's global setup; it does nothing when its inputs have not changed.
 */
const ROOT = packageRoot();
const ENTRY = join(ROOT, 'web', 'explorer', 'main.tsx');

export interface ExplorerBuildResult {
  dir: string;
  built: boolean;
  manifest: ExplorerManifest;
}

export async function buildExplorerBundle(outDir = defaultExplorerBundleDir()): Promise<ExplorerBuildResult> {
  const sourceHash = hashOfInputs();
  const current = readManifest(outDir);
  if (
    current?.sourceHash === sourceHash &&
    existsSync(join(outDir, current.script)) &&
    existsSync(join(outDir, current.stylesheet))
  ) {
    return { dir: outDir, built: false, manifest: current };
  }

  const result = await build({
    entryPoints: { explorer: ENTRY },
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome111', 'firefox111', 'safari16.4'],
    jsx: 'automatic',
    entryNames: '[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    // The licences of the bundled packages travel with the code that the gateway serves.
    legalComments: 'eof',
    outdir: outDir,
    write: false,
    logLevel: 'warning',
  });
  const names = { script: '', stylesheet: '' };
  mkdirSync(outDir, { recursive: true });
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    if (name.endsWith('.js')) names.script = name;
    else if (name.endsWith('.css')) names.stylesheet = name;
    else continue;
    writeAtomically(join(outDir, name), file.contents);
  }
  if (!names.script || !names.stylesheet) throw new Error('esbuild produced no explorer script or stylesheet');
  const manifest: ExplorerManifest = { ...names, sourceHash };
  // The manifest goes last: a reader sees either the old bundle or the complete new one.
  writeAtomically(join(outDir, EXPLORER_MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  pruneOldAssets(outDir, manifest);
  return { dir: outDir, built: true, manifest };
}

/** The browser sources, the explorer module they share with the server, this script and the lockfile. */
function hashOfInputs(): string {
  const files = [
    ...listFiles(join(ROOT, 'web', 'explorer')),
    join(ROOT, 'src', 'http', 'explorer', 'explorer-settings.ts'),
    join(ROOT, 'scripts', 'build-explorer.ts'),
    join(ROOT, 'package-lock.json'),
  ];
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(ROOT, file)).update('\0');
    // The compiled copy of this script runs from dist/, where the .ts source may be absent.
    if (existsSync(file)) hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

function readManifest(dir: string): ExplorerManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, EXPLORER_MANIFEST_FILE), 'utf8')) as ExplorerManifest;
  } catch {
    return undefined;
  }
}

/** Two builds at once (two jest runs) each write whole files; neither leaves a torn one. */
function writeAtomically(path: string, contents: Uint8Array | string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

function pruneOldAssets(dir: string, manifest: ExplorerManifest): void {
  const keep = new Set([manifest.script, manifest.stylesheet, EXPLORER_MANIFEST_FILE]);
  for (const name of readdirSync(dir)) {
    if (!keep.has(name) && /^explorer-[A-Z0-9]+\.(js|css)$/.test(name)) rmSync(join(dir, name), { force: true });
  }
}

if (require.main === module) {
  const startedAt = Date.now();
  buildExplorerBundle()
    .then(({ dir, built, manifest }) => {
      const where = relative(ROOT, dir);
      console.log(
        built
          ? `explorer bundle: ${where}/${manifest.script} and ${manifest.stylesheet} built in ${Date.now() - startedAt} ms`
          : `explorer bundle: ${where} is up to date`,
      );
    })
    .catch((error: unknown) => {
      console.error(`explorer bundle failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
