import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The real third-party samples live beside the project (`shared/dicom-samples` in the folder that
 * holds it) and are never copied into it; tests that use them skip with one clear line where they
 * are absent.
 */
export const SAMPLES_DIR = path.resolve(__dirname, '../../../..', 'shared/dicom-samples');
export const samplesPresent = fs.existsSync(SAMPLES_DIR);

export function sampleFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name !== 'README.md') out.push(full);
    }
  };
  walk(SAMPLES_DIR);
  return out.sort();
}

export function describeIfSamples(name: string, body: () => void): void {
  if (samplesPresent) {
    describe(name, body);
  } else {
    console.log(`Skipping "${name}": no real DICOM samples at ${SAMPLES_DIR}`);
    describe.skip(name, body);
  }
}
