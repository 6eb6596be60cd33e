import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The gateway's layering, checked on every file's imports: the transport and the schema sit on
 * top, the imaging port below them, and the AWS SDK only at the bottom, behind one folder.
 */

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface ImportEdge {
  /** The importing file, relative to src/. */
  from: string;
  /** A package name, or the imported file relative to src/ (`../x` when outside src/). */
  to: string;
}

function importsOf(file: string): ImportEdge[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map(({ fileName }) => ({
    from: relative(SRC, file),
    to: fileName.startsWith('.') ? relative(SRC, resolve(dirname(file), fileName)) : fileName,
  }));
}

const edges = sourceFiles(SRC).flatMap(importsOf);

function violations(rule: (edge: ImportEdge) => boolean): string[] {
  return edges.filter(rule).map((edge) => `${edge.from} -> ${edge.to}`);
}

const isSdk = (to: string): boolean => to.startsWith('@aws-sdk/') || to.startsWith('@smithy/');
const under = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);

describe('src layering', () => {
  it('finds the files and their imports it checks', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({
      from: 'imaging/upstream/client-factory.ts',
      to: '@aws-sdk/client-medical-imaging',
    });
  });

  it('imports the AWS SDK only inside src/imaging/upstream/', () => {
    expect(violations((edge) => isSdk(edge.to) && !under(edge.from, 'imaging/upstream'))).toEqual([]);
  });

  it('never imports HealthImaging Local', () => {
    expect(violations((edge) => under(edge.to, '../healthimaging-local'))).toEqual([]);
  });

  it('keeps the imaging layer free of GraphQL, HTTP and the resolvers above it', () => {
    const above = ['resolvers', 'types', 'http', 'gateway', 'schema', 'context', 'limits', 'audit', 'phi'];
    expect(
      violations(
        (edge) =>
          under(edge.from, 'imaging') &&
          (above.some((folder) => under(edge.to, folder)) || edge.to === 'graphql' || edge.to === 'type-graphql'),
      ),
    ).toEqual([]);
  });

  it('keeps the upstream folder below the rest of imaging', () => {
    const siblings = ['imaging/writes', 'imaging/dicom', 'imaging/imaging-service', 'imaging/loaders'];
    expect(
      violations((edge) => under(edge.from, 'imaging/upstream') && siblings.some((folder) => under(edge.to, folder))),
    ).toEqual([]);
  });
});
