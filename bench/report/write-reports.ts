import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
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
  const markdown = renderMarkdown(results, basename(svgFile), outDir);
  writeFileSync(mdFile, markdown);

  const found = benchReadmeAbove(outDir);
  if (found !== undefined) {
    const { readme, text, start, end } = found;
    // Links relative to the README, so a run kept in a folder of its own links there.
    const linkTo = (file: string): string => relative(dirname(readme), file).split(sep).join('/');
    const block = renderMarkdown(results, linkTo(svgFile), dirname(readme))
      .replace(/^# .*\n/, '')
      .replace(/^## /gm, '### ');
    writeFileSync(
      readme,
      `${text.slice(0, start + README_START.length)}\n_Latest run: [${linkTo(mdFile)}](${linkTo(mdFile)})._\n${block}${text.slice(end)}`,
    );
  }
  return [jsonFile, mdFile, svgFile];
}

/**
 * bench/README.md when the run's folder is under bench/ (`results/` or a folder inside it): the
 * first README.md up to two levels above `outDir` that holds the latest-results markers.
 */
function benchReadmeAbove(outDir: string): { readme: string; text: string; start: number; end: number } | undefined {
  let folder = dirname(resolve(outDir));
  for (let level = 0; level < 2; level++, folder = dirname(folder)) {
    const readme = join(folder, 'README.md');
    if (!existsSync(readme)) continue;
    const text = readFileSync(readme, 'utf8');
    const start = text.indexOf(README_START);
    const end = text.indexOf(README_END);
    if (start >= 0 && end > start) return { readme, text, start, end };
  }
  return undefined;
}
