import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * HealthImaging Local's layering (docs/architecture.md#healthimaging-local-request-path), checked
 * on every file's imports: http/ (routes) -> responses/ -> model/ -> store/, with dicom/ beside
 * the store for the model's use and shapes/ as the ground floor. The top-level files (index.ts,
 * cli.ts, options.ts) wire the layers together and may import any of them; nothing imports them.
 */

const ROOT = resolve(__dirname, '../..');
const HIL = join(ROOT, 'healthimaging-local');
const SRC = join(ROOT, 'src');
/** The top-level files of healthimaging-local/, as one folder. */
const TOP = '(top level)';

/** What each folder may import, besides itself. A new folder needs its row. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  [TOP]: ['http', 'responses', 'model', 'dicom', 'store', 'shapes'],
  http: ['responses', 'shapes'],
  responses: ['model', 'shapes'],
  model: ['dicom', 'store', 'shapes'],
  dicom: ['shapes'],
  store: ['shapes'],
  shapes: [],
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Where an absolute path sits: `src`, a folder of healthimaging-local, or undefined (elsewhere). */
function placeOf(path: string): string | undefined {
  const inSrc = relative(SRC, path);
  if (inSrc === '' || (!inSrc.startsWith('..') && !inSrc.startsWith(sep))) return 'src';
  const inHil = relative(HIL, path);
  if (inHil.startsWith('..')) return undefined;
  const [first, ...rest] = inHil.split(sep);
  if (inHil === '' || first === undefined) return TOP;
  // `../store` names a folder (its index.ts); `../options` names a top-level file.
  const isFolder = rest.length > 0 || (existsSync(path) && statSync(path).isDirectory());
  return isFolder ? first : TOP;
}

interface ImportEdge {
  /** The importing file, relative to the repository. */
  file: string;
  /** The imported module, relative to the repository. */
  module: string;
  from: string;
  to: string;
}

/** The relative imports of a file (import, export ... from, import type, require, import()). */
function edgesOf(file: string): ImportEdge[] {
  const from = placeOf(file);
  if (from === undefined) return [];
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.flatMap(({ fileName }) => {
    if (!fileName.startsWith('.')) return [];
    const target = resolve(dirname(file), fileName);
    const to = placeOf(target);
    if (to === undefined || to === from) return [];
    return [{ file: relative(ROOT, file), module: relative(ROOT, target), from, to }];
  });
}

const hilEdges = sourceFiles(HIL).flatMap(edgesOf);
const srcEdges = sourceFiles(SRC).flatMap(edgesOf);

const show = (edge: ImportEdge): string => `${edge.file} -> ${edge.module}`;

function violations(edges: ImportEdge[], rule: (edge: ImportEdge) => boolean): string[] {
  return edges.filter(rule).map(show);
}

/** Every cycle of the folder graph, each as `a -> b -> ... -> a`. */
function folderCycles(edges: ImportEdge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) next.set(from, (next.get(from) ?? new Set()).add(to));
  const cycles = new Set<string>();
  const walk = (path: string[]): void => {
    const last = path[path.length - 1];
    if (last === undefined) return;
    for (const folder of next.get(last) ?? []) {
      const at = path.indexOf(folder);
      if (at === 0) cycles.add([...path, folder].join(' -> '));
      else if (at === -1 && folder > (path[0] ?? '')) walk([...path, folder]);
    }
  };
  for (const start of next.keys()) walk([start]);
  return [...cycles];
}

describe('HealthImaging Local layering', () => {
  it('finds the files and the imports it checks', () => {
    const folders = new Set(sourceFiles(HIL).map(placeOf));
    expect([...folders].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
    expect(hilEdges).toContainEqual(
      expect.objectContaining({ file: 'healthimaging-local/store/datastore-store.ts', to: 'shapes' }),
    );
  });

  it('keeps the store to plain SQL: it imports neither model/, dicom/ nor responses/', () => {
    const above = ['model', 'dicom', 'responses', 'http', TOP];
    expect(violations(hilEdges, (edge) => edge.from === 'store' && above.includes(edge.to))).toEqual([]);
  });

  it('keeps the model below the wire: it imports neither responses/ nor http/ (the routes)', () => {
    const above = ['responses', 'http', TOP];
    expect(violations(hilEdges, (edge) => edge.from === 'model' && above.includes(edge.to))).toEqual([]);
  });

  it('keeps the responses off the tables: they import no store/', () => {
    expect(violations(hilEdges, (edge) => edge.from === 'responses' && edge.to === 'store')).toEqual([]);
  });

  it('keeps DICOM import parsing out of the model and the store', () => {
    expect(violations(hilEdges, (edge) => edge.from === 'dicom' && ['model', 'store'].includes(edge.to))).toEqual([]);
  });

  it('keeps shapes/ the ground floor: it imports no other folder', () => {
    expect(violations(hilEdges, (edge) => edge.from === 'shapes')).toEqual([]);
  });

  it('has no two folders importing each other, nor any longer cycle of folders', () => {
    expect(folderCycles(hilEdges)).toEqual([]);
  });

  it('imports only downwards, as the layer table says', () => {
    expect(
      violations(hilEdges, (edge) => edge.to !== 'src' && !(MAY_IMPORT[edge.from] ?? []).includes(edge.to)),
    ).toEqual([]);
  });

  it('never imports the gateway (src/)', () => {
    expect(violations(hilEdges, (edge) => edge.to === 'src')).toEqual([]);
  });

  it('is never imported by the gateway (src/)', () => {
    expect(violations(srcEdges, (edge) => edge.to !== 'src')).toEqual([]);
  });
});
