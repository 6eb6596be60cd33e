import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { naturalizeDataset, readP10 } from '../../../healthimaging-local/dicom/dcmjs';
import {
  DEMO_TENANT_STUDIES,
  generateStudy,
  largeStudySpec,
  smallCtStudy,
  smallMrStudy,
  writeStudy,
  type SyntheticStudySpec,
} from '../../../scripts/synthetic-studies';
import { present } from '../../support/present';

/** The bytes of the `index`th file a spec generates. */
const fileBytes = (spec: SyntheticStudySpec, index: number): Buffer =>
  present(generateStudy(spec)[index], `generated file ${index + 1}`).bytes;

const digest = (files: Array<{ relativePath: string; bytes: Buffer }>) =>
  createHash('sha256')
    .update(files.map((f) => `${f.relativePath}:${f.bytes.toString('hex')}`).join('\n'))
    .digest('hex');

describe('generateStudy', () => {
  it('is deterministic: the same spec gives the same bytes', () => {
    expect(digest(generateStudy(smallCtStudy))).toBe(digest(generateStudy(smallCtStudy)));
  });

  it('derives different UIDs from different seeds', () => {
    const a = naturalizeDataset(readP10(fileBytes(smallCtStudy, 0)).dict);
    const b = naturalizeDataset(readP10(fileBytes({ ...smallCtStudy, seed: 'another' }, 0)).dict);
    expect(a.StudyInstanceUID).not.toBe(b.StudyInstanceUID);
    expect(a.SOPInstanceUID).not.toBe(b.SOPInstanceUID);
  });

  it('writes one file per instance with valid, unique 2.25 UIDs', () => {
    const files = generateStudy(smallMrStudy);
    expect(files).toHaveLength(6);
    const datasets = files.map((f) => naturalizeDataset(readP10(f.bytes).dict));
    const sops = new Set(datasets.map((d) => d.SOPInstanceUID));
    expect(sops.size).toBe(6);
    for (const d of datasets) {
      for (const key of ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID'] as const) {
        expect(d[key]).toMatch(/^2\.25\.[1-9]\d*$/);
        expect((d[key] as string).length).toBeLessThanOrEqual(64);
      }
    }
    expect(new Set(datasets.map((d) => d.SeriesInstanceUID)).size).toBe(2);
    expect(new Set(datasets.map((d) => d.StudyInstanceUID)).size).toBe(1);
  });

  it('produces realistic CT attributes and small native pixel data', () => {
    const ct = naturalizeDataset(readP10(fileBytes(smallCtStudy, 1)).dict);
    expect(ct).toMatchObject({
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      Modality: 'CT',
      ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      Rows: 32,
      Columns: 32,
      BitsAllocated: 16,
      PixelRepresentation: 1,
      RescaleSlope: 1,
      RescaleIntercept: -1024,
      InstanceNumber: 2,
      SliceThickness: 2.5,
    });
    expect((ct.ImagePositionPatient as number[]).length).toBe(3);
    expect(present((ct.PixelData as ArrayBuffer[])[0], 'a pixel data fragment').byteLength).toBe(32 * 32 * 2);
  });
});

describe('writeStudy', () => {
  it('writes every generated file under the directory and returns their paths', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'synthetic-'));
    try {
      const written = await writeStudy(dir, smallCtStudy);
      expect(written).toHaveLength(6);
      for (const file of written) expect(file.startsWith(dir)).toBe(true);
      const bytes = await fs.readFile(present(written[0], 'a written path'));
      expect(bytes.equals(fileBytes(smallCtStudy, 0))).toBe(true);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('demo and benchmark specs', () => {
  const count = (specs: (typeof smallCtStudy)[]) =>
    specs.reduce((n, s) => n + s.series.reduce((m, x) => m + x.instances, 0), 0);

  it('gives each demo tenant CT and MR studies of fictional patients, a few hundred instances in total', () => {
    for (const studies of Object.values(DEMO_TENANT_STUDIES)) {
      const modalities = new Set(studies.flatMap((s) => s.series.map((x) => x.modality)));
      expect(modalities.has('CT') && modalities.has('MR')).toBe(true);
    }
    const total = count([...DEMO_TENANT_STUDIES.acme, ...DEMO_TENANT_STUDIES.globex]);
    expect(total).toBeGreaterThanOrEqual(200);
    expect(total).toBeLessThan(1000);
    const seeds = [...DEMO_TENANT_STUDIES.acme, ...DEMO_TENANT_STUDIES.globex].map((s) => s.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
  });

  it('sizes the benchmark study as one series of the requested instance count', () => {
    expect(largeStudySpec().series).toEqual([expect.objectContaining({ instances: 2000 })]);
    expect(present(largeStudySpec(10).series[0], 'a series').instances).toBe(10);
  });
});
