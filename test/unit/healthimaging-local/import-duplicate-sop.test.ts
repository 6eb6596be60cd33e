import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDicomImport } from '../../../healthimaging-local/dicom/run-dicom-import';
import { smallCtStudy, writeStudy } from '../../../scripts/synthetic-studies';
import { FakeImportTarget } from '../dicom/fake-import-target';
import { present } from '../../support/present';

const DATASTORE = '0123456789abcdef0123456789abcdef';

/** Every frame id the target's documents refer to, over all versions. */
function referencedFrames(target: FakeImportTarget): Set<string> {
  return new Set(
    [...target.imageSets.values()].flatMap((set) =>
      set.versions.flatMap((doc) =>
        Object.values(doc.Study.Series).flatMap((s) =>
          Object.values(s.Instances).flatMap((i) => i.ImageFrames.map((f) => f.ID)),
        ),
      ),
    ),
  );
}

describe('one SOP instance twice in one import job', () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'hil-dup-sop-'));
  });
  afterEach(async () => fs.rm(tmp, { recursive: true, force: true }));

  it('keeps the later file and leaves no stored frame without an image set', async () => {
    const input = path.join(tmp, 'in');
    const [first] = await writeStudy(input, { ...smallCtStudy, series: smallCtStudy.series.slice(0, 1) });
    await fs.copyFile(present(first, 'a written file'), path.join(input, 'zz-copy-of-first.dcm'));
    const target = new FakeImportTarget();
    const result = await runDicomImport({
      datastoreId: DATASTORE,
      jobId: 'a'.repeat(32),
      inputDir: input,
      outputDir: path.join(tmp, 'out'),
      inputS3Uri: 's3://bucket/in/',
      outputS3Uri: 's3://bucket/out/',
      target,
    });
    expect(result).toMatchObject({ numberOfScannedFiles: 4, numberOfImportedFiles: 4, numberOfGeneratedImageSets: 1 });
    const [set] = [...target.imageSets.values()];
    const firstVersion = present(set?.versions[0], 'an imported image set');
    const instances = Object.values(firstVersion.Study.Series).flatMap((s) => Object.keys(s.Instances));
    expect(instances).toHaveLength(3);
    expect([...target.frames.keys()].filter((id) => !referencedFrames(target).has(id))).toEqual([]);
  });
});
