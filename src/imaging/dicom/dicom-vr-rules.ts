import { SINGLE_VALUE_VRS, singleValueRule, type BrokenRule } from './dicom-value-rules';

/**
 * Whether the JSON value given for one DICOM element fits its VR and its value multiplicity (VM),
 * before anything is sent upstream. A value HealthImaging rejects fails the new version
 * asynchronously (UPDATE_FAILED) and spends the scarce write quota, so bad values are refused here.
 *
 * The value forms are those of a HealthImaging metadata document: `null` (or `[]`) is an empty
 * element; several values are an array or, for the VRs that allow several, a backslash-separated
 * string; a sequence (SQ) is an array of item objects whose keys are keywords (or hex tags) again.
 * Problems name the input path, the keyword and the rule, never the value.
 */

export interface ElementSpec {
  vr: string;
  /** The registry's VM, e.g. `1`, `1-n`, `2`, `3-3n`; absent for private elements (any count). */
  vm?: string;
}

export interface ValueProblem {
  /** Input path of the element or of one of its values, e.g. `series[0].attributes.ImageType[1]`. */
  path: string;
  /** The element's keyword, or its hex tag for private elements. */
  keyword: string;
  rule: BrokenRule;
}

/**
 * The VR and VM of a key found in a sequence item, or undefined when the key is not acceptable
 * (the resolver reports why; its value is then not checked).
 */
export type ItemKeyResolver = (itemPath: string, key: string) => ElementSpec | undefined;

/** Deeper nesting is no real-world dataset and would only cost stack. */
export const MAX_SEQUENCE_DEPTH = 16;

/** Registry pseudo-VRs: the element takes one of these, depending on context (PS3.6 "US or SS"). */
const PSEUDO_VRS: Record<string, readonly string[]> = {
  xs: ['US', 'SS'],
  ox: ['OB', 'OW'],
  lt: ['US', 'OW'],
  up: ['UL'],
};

interface Multiplicity {
  min: number;
  max: number;
  step: number;
}

/** Parses a registry VM: `3`, `1-3`, `2-n`, `3-3n`. Unknown forms allow any count. */
function parseVm(vm: string): Multiplicity {
  let m = /^(\d+)$/.exec(vm);
  if (m) return { min: Number(m[1]), max: Number(m[1]), step: 1 };
  m = /^(\d+)-(\d+)$/.exec(vm);
  if (m) return { min: Number(m[1]), max: Number(m[2]), step: 1 };
  m = /^(\d+)-(\d*)n$/.exec(vm);
  if (m) return { min: Number(m[1]), max: Infinity, step: m[2] ? Number(m[2]) : 1 };
  return { min: 1, max: Infinity, step: 1 };
}

/** The rule a count of values breaks for a VM, or undefined. Zero values is an empty element. */
export function multiplicityRule(count: number, vm: string): BrokenRule | undefined {
  if (count === 0) return undefined;
  const { min, max, step } = parseVm(vm);
  if (count >= min && count <= max && count % step === 0) return undefined;
  const needs =
    step > 1
      ? `a multiple of ${step} values, at least ${min}`
      : min === max
        ? `exactly ${min} value${min === 1 ? '' : 's'}`
        : max === Infinity
          ? `at least ${min} values`
          : `${min} to ${max} values`;
  return `VM ${vm} needs ${needs} (got ${count})`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The individual values a JSON value carries for a non-sequence VR. */
function valuesOf(value: unknown, vr: string): { values: unknown[]; indexed: boolean } {
  if (Array.isArray(value)) return { values: value, indexed: true };
  if (typeof value === 'string' && !SINGLE_VALUE_VRS.has(vr) && value.includes('\\')) {
    return { values: value.split('\\'), indexed: true };
  }
  return { values: [value], indexed: false };
}

function scalarProblems(
  path: string,
  keyword: string,
  value: unknown,
  vr: string,
  vm: string | undefined,
): ValueProblem[] {
  const { values, indexed } = valuesOf(value, vr);
  const problems: ValueProblem[] = [];
  const vmRule = multiplicityRule(values.length, SINGLE_VALUE_VRS.has(vr) ? '1' : (vm ?? '1-n'));
  if (vmRule) problems.push({ path, keyword, rule: vmRule });
  values.forEach((item, index) => {
    const rule = Array.isArray(item) ? `${vr} values may not be nested arrays` : singleValueRule(item, vr);
    if (rule) problems.push({ path: indexed ? `${path}[${index}]` : path, keyword, rule });
  });
  return problems;
}

function sequenceProblems(
  path: string,
  keyword: string,
  value: unknown,
  resolve: ItemKeyResolver,
  depth: number,
): ValueProblem[] {
  if (!Array.isArray(value) || !value.every(isPlainObject)) {
    return [{ path, keyword, rule: 'SQ must be an array of item objects' }];
  }
  if (depth >= MAX_SEQUENCE_DEPTH)
    return [{ path, keyword, rule: `SQ may nest at most ${MAX_SEQUENCE_DEPTH} levels deep` }];
  const problems: ValueProblem[] = [];
  value.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    for (const [key, itemValue] of Object.entries(item)) {
      const spec = resolve(itemPath, key);
      if (spec) problems.push(...elementProblems(`${itemPath}.${key}`, key, itemValue, spec, resolve, depth + 1));
    }
  });
  return problems;
}

function elementProblems(
  path: string,
  keyword: string,
  value: unknown,
  spec: ElementSpec,
  resolve: ItemKeyResolver,
  depth: number,
): ValueProblem[] {
  if (value === null) return [];
  if (spec.vr === 'SQ') return sequenceProblems(path, keyword, value, resolve, depth);
  if (spec.vr === 'na') return [{ path, keyword, rule: 'delimitation items cannot be given a value' }];
  const candidates = PSEUDO_VRS[spec.vr];
  if (!candidates) return scalarProblems(path, keyword, value, spec.vr, spec.vm);
  const tries = candidates.map((vr) => scalarProblems(path, keyword, value, vr, spec.vm));
  if (tries.some((problems) => problems.length === 0)) return [];
  // Fits none of the VRs the element may take: per path, say each one's rule.
  const rulesByPath = new Map<string, string[]>();
  for (const problem of tries.flat()) {
    const rules = rulesByPath.get(problem.path) ?? [];
    if (!rules.includes(problem.rule)) rules.push(problem.rule);
    rulesByPath.set(problem.path, rules);
  }
  return [...rulesByPath].map(([problemPath, rules]) => ({ path: problemPath, keyword, rule: rules.join(', or ') }));
}

/**
 * Every VR and VM problem of the value given for one element (recursively through sequence items).
 * `path` is where the element sits in the input, e.g. `patient.PatientBirthDate`.
 */
export function checkElementValue(
  path: string,
  keyword: string,
  value: unknown,
  spec: ElementSpec,
  resolveItemKey: ItemKeyResolver,
): ValueProblem[] {
  return elementProblems(path, keyword, value, spec, resolveItemKey, 0);
}
