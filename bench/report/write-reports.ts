import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { renderMarkdown } from './markdown';
import type { BenchResults } from './result-types';
import { renderSvg } from './svg-chart';

const README_START = '<!-- bench:latest:start -->';
const README_END = '<!-- bench:latest:end -->';

/**
 * Writes `<date>.json`, `<date>.md` and `<date>.svg` (a second run on the same day replaces the
 * first), and refreshes the latest-results block of bench/README.md between its markers.
 */
export function writeReports(results: BenchResults, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const stem = results.startedAt.slice(0, 10);
  const jsonFile = join(outDir, `${stem}.json`);
  const mdFile = join(outDir, `${stem}.md`);
  const svgFile = join(outDir, `${stem}.svg`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(svgFile, renderSvg(results));
  const markdown = renderMarkdown(results, basename(svgFile));
  writeFileSync(mdFile, markdown);

  const readme = join(dirname(outDir), 'README.md');
  if (existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const start = text.indexOf(README_START);
    const end = text.indexOf(README_END);
    if (start >= 0 && end > start) {
      const relative = `results/${basename(svgFile)}`;
      const block = renderMarkdown(results, relative)
        .replace(/^# .*\n/, '')
        .replace(/^## /gm, '### ');
      writeFileSync(
        readme,
        `${text.slice(0, start + README_START.length)}\n_Latest run: [results/${stem}.md](results/${stem}.md)._\n${block}${text.slice(end)}`,
      );
    }
  }
  return [jsonFile, mdFile, svgFile];
}
