import { resolve } from 'node:path';

/**
 * The compiled tree the bench runs from (`npm run bench` builds to dist/ first). This file
 * compiles to dist/bench/lib/, so the tree's root is two levels up.
 */
export const DIST_ROOT = resolve(__dirname, '..', '..');

export const distPath = (...segments: string[]): string => resolve(DIST_ROOT, ...segments);
