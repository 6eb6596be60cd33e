import { BadUserInputError } from '../../errors/gateway-errors';
import {
  DICOM_VRS,
  FORCE_REQUIRED_KEYWORDS,
  SERVICE_GENERATED_KEYS,
  elementByHexTag,
  elementByKeyword,
  keywordSuggestions,
  isHexTag,
  isPrivateTag,
  levelsOfKeyword,
  type MetadataLevel,
} from '../dicom/dicom-dictionary';
import { checkElementValue, type ElementSpec, type ValueProblem } from '../dicom/dicom-vr-rules';
import type { MetadataChangeDocument } from '../records';

export { FORCE_REQUIRED_KEYWORDS } from '../dicom/dicom-dictionary';

/**
 * Metadata change documents (docs/healthimaging-behaviour.md#update-documents) built from input
 * given level by level, with every key checked against the DICOM registry and its level, and every
 * updated value against its VR and VM (dicom-vr-rules.ts), before anything is sent upstream.
 * Problems are collected and reported together in one BadUserInputError that names input paths,
 * keywords and rules, never values or UIDs (both can be patient data).
 *
 * Removal values are not checked: a removal must repeat the stored value, and stored values may
 * predate the rules (imported files are not always conformant).
 */

export interface LevelAttributesInput {
  patient?: Record<string, unknown>;
  study?: Record<string, unknown>;
  series?: Array<{ seriesInstanceUid: string; attributes: Record<string, unknown> }>;
  instances?: Array<{
    seriesInstanceUid: string;
    sopInstanceUid: string;
    attributes: Record<string, unknown>;
    /** VRs of the private (8-hex-digit) elements among `attributes`. */
    vrs?: Record<string, string>;
  }>;
}

export interface RemovalInput extends LevelAttributesInput {
  /** Whole SOP instances to remove. */
  removeInstances?: Array<{ seriesInstanceUid: string; sopInstanceUid: string }>;
  /** Whole series to remove. */
  removeSeries?: string[];
}

export type KeywordProblem =
  | 'UNKNOWN_KEYWORD'
  | 'WRONG_LEVEL'
  | 'SERVICE_GENERATED'
  | 'STANDARD_TAG_AS_HEX'
  | 'PRIVATE_TAG_OUTSIDE_INSTANCE'
  | 'MISSING_VR'
  | 'INVALID_VR'
  | 'VR_WITHOUT_ATTRIBUTE';

export interface InvalidKeyword {
  /** Where in the input, e.g. `instances[2].attributes`. */
  path: string;
  keyword: string;
  problem: KeywordProblem;
  /** For WRONG_LEVEL: where the keyword belongs. */
  allowedLevels?: readonly MetadataLevel[];
}

/** An updated value that breaks its VR or VM: where, which element, which rule (never the value). */
export type InvalidValue = ValueProblem;

export interface InvalidField {
  path: string;
  problem: 'INVALID_UID' | 'EMPTY' | 'DUPLICATE' | 'NOT_AN_OBJECT';
}

/** Why the upstream will want `force=true` for this change (advisory; the upstream decides). */
export interface ForceReason {
  path: string;
  keyword: string;
  reason: 'FORCE_ONLY_ELEMENT' | 'PRIVATE_ELEMENT' | 'NON_STANDARD_ELEMENT' | 'SEQUENCE' | 'MULTI_VALUED';
}

export interface BuiltChangeDocument {
  document: MetadataChangeDocument;
  /** Size of `JSON.stringify(document)` in UTF-8, as the upstream counts the payload. */
  encodedBytes: number;
  forceReasons: ForceReason[];
}

/**
 * UpdateImageSetMetadata payload quota, per attributes document
 * (docs/healthimaging-behaviour.md#quotas-and-throttling).
 */
export const UPDATE_PAYLOAD_LIMIT_BYTES = 10 * 1024;
/** Model length limit of CopyImageSet `copiableAttributes`. */
export const COPIABLE_ATTRIBUTES_LIMIT_BYTES = 260000;

const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;
/** Value problems spelled out in the message; all of them are in `extensions.invalidValues`. */
const MESSAGE_VALUE_PROBLEMS = 20;
const SCHEMA_VERSION = '1.1';

type Instances = NonNullable<NonNullable<NonNullable<MetadataChangeDocument['Study']>['Series']>[string]['Instances']>;

class Collector {
  readonly invalidKeywords: InvalidKeyword[] = [];
  readonly invalidFields: InvalidField[] = [];
  readonly invalidValues: InvalidValue[] = [];
  readonly forceReasons: ForceReason[] = [];

  keyword(
    path: string,
    keyword: string,
    problem: KeywordProblem,
    allowedLevels?: readonly MetadataLevel[],
    position?: number,
  ): void {
    this.invalidKeywords.push({
      path,
      keyword: displayKey(keyword, position),
      problem,
      ...(allowedLevels ? { allowedLevels } : {}),
    });
  }

  field(path: string, problem: InvalidField['problem']): void {
    this.invalidFields.push({ path, problem });
  }

  values(problems: readonly InvalidValue[]): void {
    this.invalidValues.push(...problems);
  }

  throwIfAny(what: string): void {
    if (this.invalidKeywords.length === 0 && this.invalidFields.length === 0 && this.invalidValues.length === 0) return;
    const parts: string[] = [];
    if (this.invalidKeywords.length > 0) {
      parts.push(
        `${this.invalidKeywords.length} invalid keyword(s): ${this.invalidKeywords.map((k) => k.keyword).join(', ')}`,
      );
    }
    if (this.invalidFields.length > 0) {
      parts.push(`${this.invalidFields.length} invalid field(s): ${this.invalidFields.map((f) => f.path).join(', ')}`);
    }
    if (this.invalidValues.length > 0) {
      const shown = this.invalidValues.slice(0, MESSAGE_VALUE_PROBLEMS).map((v) => `${v.path}: ${v.rule}`);
      const more = this.invalidValues.length - shown.length;
      parts.push(
        `${this.invalidValues.length} invalid value(s) (${shown.join('; ')}${more > 0 ? `; and ${more} more in extensions.invalidValues` : ''})`,
      );
    }
    throw new BadUserInputError(`The ${what} cannot be sent: ${parts.join('; ')}.`, {
      invalidKeywords: this.invalidKeywords,
      invalidFields: this.invalidFields,
      ...(this.invalidValues.length > 0 ? { invalidValues: this.invalidValues } : {}),
    });
  }
}

/**
 * Keys are caller input, and a key that is no DICOM keyword may be anything a client put there (a
 * patient's name among them): only keys of the registry, 8-hex-digit tags and the service's own
 * field names are echoed; any other is named by its position among the keys of its map.
 */
function displayKey(key: string, position?: number): string {
  if (isHexTag(key) || elementByKeyword(key) || SERVICE_GENERATED_KEYS.has(key)) return key;
  const suggestions = keywordSuggestions(key);
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : '';
  return `(${position === undefined ? 'a key' : `key #${position} of the map`} that is not a DICOM keyword${hint})`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The VR and VM of a key inside a sequence item, reporting unacceptable keys like top-level ones.
 * Private elements nested in items take their VR from the instance's `vrs` too; `seenTags` collects
 * the hex tags met, so a VR given for a nested element is not "without attribute".
 */
function itemKeyResolver(
  collector: Collector,
  vrs: Record<string, string> | undefined,
  seenTags: Set<string>,
): (itemPath: string, key: string) => ElementSpec | undefined {
  return (itemPath, key) => {
    if (isHexTag(key)) {
      seenTags.add(key);
      if (elementByHexTag(key)) {
        collector.keyword(itemPath, key, 'STANDARD_TAG_AS_HEX');
        return undefined;
      }
      const vr = isPlainObject(vrs) ? vrs[key] : undefined;
      if (vr === undefined) collector.keyword(itemPath, key, 'MISSING_VR');
      else if (!DICOM_VRS.has(vr)) collector.keyword(itemPath, key, 'INVALID_VR');
      else return { vr };
      return undefined;
    }
    const element = elementByKeyword(key);
    if (!element) {
      collector.keyword(itemPath, key, 'UNKNOWN_KEYWORD');
      return undefined;
    }
    return { vr: element.vr, vm: element.vm };
  };
}

function checkAttributes(
  collector: Collector,
  path: string,
  level: MetadataLevel,
  attributes: unknown,
  vrs: Record<string, string> | undefined,
  mode: 'update' | 'remove',
): Record<string, unknown> {
  if (!isPlainObject(attributes)) {
    collector.field(path, 'NOT_AN_OBJECT');
    return {};
  }
  const keys = Object.keys(attributes);
  if (keys.length === 0) collector.field(path, 'EMPTY');
  const seenTags = new Set<string>(keys.filter(isHexTag));
  const resolveItemKey = itemKeyResolver(collector, vrs, seenTags);
  const checkValue = (key: string, spec: ElementSpec) => {
    if (mode === 'update')
      collector.values(checkElementValue(`${path}.${key}`, key, attributes[key], spec, resolveItemKey));
  };
  for (const [index, key] of keys.entries()) {
    if (SERVICE_GENERATED_KEYS.has(key)) {
      collector.keyword(path, key, 'SERVICE_GENERATED');
      continue;
    }
    if (isHexTag(key)) {
      if (elementByHexTag(key)) {
        collector.keyword(path, key, 'STANDARD_TAG_AS_HEX');
        continue;
      }
      if (level !== 'INSTANCE') {
        collector.keyword(path, key, 'PRIVATE_TAG_OUTSIDE_INSTANCE', ['INSTANCE']);
        continue;
      }
      const vr = isPlainObject(vrs) ? vrs[key] : undefined;
      if (vr === undefined) {
        // A removal matches the stored element; its VR is already known upstream.
        if (mode === 'update') collector.keyword(path, key, 'MISSING_VR');
      } else if (!DICOM_VRS.has(vr)) {
        collector.keyword(path, key, 'INVALID_VR');
      } else {
        checkValue(key, { vr });
      }
      collector.forceReasons.push({
        path,
        keyword: key,
        reason: isPrivateTag(key) ? 'PRIVATE_ELEMENT' : 'NON_STANDARD_ELEMENT',
      });
      continue;
    }
    const element = elementByKeyword(key);
    if (!element) {
      collector.keyword(path, key, 'UNKNOWN_KEYWORD', undefined, index + 1);
      continue;
    }
    const allowed = levelsOfKeyword(key);
    if (!allowed.includes(level)) {
      collector.keyword(path, key, 'WRONG_LEVEL', allowed);
      continue;
    }
    checkValue(key, { vr: element.vr, vm: element.vm });
    if (FORCE_REQUIRED_KEYWORDS.includes(key)) {
      collector.forceReasons.push({ path, keyword: key, reason: 'FORCE_ONLY_ELEMENT' });
    } else if (mode === 'update' && element.vr === 'SQ') {
      collector.forceReasons.push({ path, keyword: key, reason: 'SEQUENCE' });
    } else if (mode === 'update' && Array.isArray(attributes[key]) && (attributes[key] as unknown[]).length > 1) {
      collector.forceReasons.push({ path, keyword: key, reason: 'MULTI_VALUED' });
    }
  }
  if (vrs !== undefined) {
    if (!isPlainObject(vrs)) {
      collector.field(`${path.replace(/\.attributes$/, '')}.vrs`, 'NOT_AN_OBJECT');
    } else {
      for (const key of Object.keys(vrs)) {
        if (!isHexTag(key) || !seenTags.has(key)) {
          collector.keyword(`${path.replace(/\.attributes$/, '')}.vrs`, key, 'VR_WITHOUT_ATTRIBUTE');
        }
      }
    }
  }
  return attributes;
}

function checkUid(collector: Collector, path: string, uid: unknown): uid is string {
  if (typeof uid !== 'string' || uid.length > 64 || !UID.test(uid)) {
    collector.field(path, 'INVALID_UID');
    return false;
  }
  return true;
}

function seriesNode(document: MetadataChangeDocument, seriesInstanceUid: string) {
  const study = (document.Study ??= {});
  const series = (study.Series ??= {});
  return (series[seriesInstanceUid] ??= {});
}

function instancesOf(document: MetadataChangeDocument, seriesInstanceUid: string): Instances {
  const node = seriesNode(document, seriesInstanceUid);
  return (node.Instances ??= {});
}

function assemble(
  collector: Collector,
  input: LevelAttributesInput,
  mode: 'update' | 'remove',
): MetadataChangeDocument {
  const document: MetadataChangeDocument = { SchemaVersion: SCHEMA_VERSION };
  if (input.patient !== undefined) {
    document.Patient = { DICOM: checkAttributes(collector, 'patient', 'PATIENT', input.patient, undefined, mode) };
  }
  if (input.study !== undefined) {
    (document.Study ??= {}).DICOM = checkAttributes(collector, 'study', 'STUDY', input.study, undefined, mode);
  }
  const seenSeries = new Set<string>();
  (input.series ?? []).forEach((entry, index) => {
    const path = `series[${index}]`;
    const attributes = checkAttributes(collector, `${path}.attributes`, 'SERIES', entry.attributes, undefined, mode);
    if (!checkUid(collector, `${path}.seriesInstanceUid`, entry.seriesInstanceUid)) return;
    if (seenSeries.has(entry.seriesInstanceUid)) {
      collector.field(`${path}.seriesInstanceUid`, 'DUPLICATE');
      return;
    }
    seenSeries.add(entry.seriesInstanceUid);
    seriesNode(document, entry.seriesInstanceUid).DICOM = attributes;
  });
  const seenInstances = new Set<string>();
  (input.instances ?? []).forEach((entry, index) => {
    const path = `instances[${index}]`;
    const attributes = checkAttributes(collector, `${path}.attributes`, 'INSTANCE', entry.attributes, entry.vrs, mode);
    const seriesOk = checkUid(collector, `${path}.seriesInstanceUid`, entry.seriesInstanceUid);
    const sopOk = checkUid(collector, `${path}.sopInstanceUid`, entry.sopInstanceUid);
    if (!seriesOk || !sopOk) return;
    const key = `${entry.seriesInstanceUid}/${entry.sopInstanceUid}`;
    if (seenInstances.has(key)) {
      collector.field(`${path}.sopInstanceUid`, 'DUPLICATE');
      return;
    }
    seenInstances.add(key);
    const node: { DICOM?: Record<string, unknown>; DICOMVRs?: Record<string, string> } = { DICOM: attributes };
    if (entry.vrs && isPlainObject(entry.vrs) && Object.keys(entry.vrs).length > 0) node.DICOMVRs = { ...entry.vrs };
    instancesOf(document, entry.seriesInstanceUid)[entry.sopInstanceUid] = node;
  });
  return document;
}

function encodedSize(document: unknown): number {
  return Buffer.byteLength(JSON.stringify(document), 'utf8');
}

function enforcePayloadQuota(what: string, bytes: number): void {
  if (bytes > UPDATE_PAYLOAD_LIMIT_BYTES) {
    throw new BadUserInputError(
      `The ${what} document is ${bytes} bytes once encoded; HealthImaging accepts at most ${UPDATE_PAYLOAD_LIMIT_BYTES} bytes per update. Split the change into several updates.`,
      { reason: 'PAYLOAD_TOO_LARGE', limitBytes: UPDATE_PAYLOAD_LIMIT_BYTES, actualBytes: bytes },
    );
  }
}

function hasContent(input: LevelAttributesInput): boolean {
  return (
    input.patient !== undefined ||
    input.study !== undefined ||
    (input.series?.length ?? 0) > 0 ||
    (input.instances?.length ?? 0) > 0
  );
}

/** `updatableAttributes`: inserts or replaces the given attributes. */
export function buildUpdatableAttributes(input: LevelAttributesInput): BuiltChangeDocument {
  const collector = new Collector();
  if (!hasContent(input)) collector.field('updatableAttributes', 'EMPTY');
  const document = assemble(collector, input, 'update');
  collector.throwIfAny('metadata update');
  const encodedBytes = encodedSize(document);
  enforcePayloadQuota('updatable attributes', encodedBytes);
  return { document, encodedBytes, forceReasons: collector.forceReasons };
}

/**
 * `removableAttributes`: removes attributes (their values must equal the stored ones upstream),
 * and whole instances or series, which the wire format writes as empty objects.
 */
export function buildRemovableAttributes(input: RemovalInput): BuiltChangeDocument {
  const collector = new Collector();
  if (!hasContent(input) && (input.removeInstances?.length ?? 0) === 0 && (input.removeSeries?.length ?? 0) === 0) {
    collector.field('removableAttributes', 'EMPTY');
  }
  const document = assemble(collector, input, 'remove');
  (input.removeSeries ?? []).forEach((uid, index) => {
    const path = `removeSeries[${index}]`;
    if (!checkUid(collector, path, uid)) return;
    const existing = document.Study?.Series?.[uid];
    if (existing !== undefined) {
      collector.field(path, 'DUPLICATE');
      return;
    }
    seriesNode(document, uid);
  });
  (input.removeInstances ?? []).forEach((entry, index) => {
    const path = `removeInstances[${index}]`;
    const seriesOk = checkUid(collector, `${path}.seriesInstanceUid`, entry.seriesInstanceUid);
    const sopOk = checkUid(collector, `${path}.sopInstanceUid`, entry.sopInstanceUid);
    if (!seriesOk || !sopOk) return;
    if ((input.removeSeries ?? []).includes(entry.seriesInstanceUid)) {
      collector.field(`${path}.seriesInstanceUid`, 'DUPLICATE');
      return;
    }
    const instances = instancesOf(document, entry.seriesInstanceUid);
    if (instances[entry.sopInstanceUid] !== undefined) {
      collector.field(`${path}.sopInstanceUid`, 'DUPLICATE');
      return;
    }
    instances[entry.sopInstanceUid] = {};
  });
  collector.throwIfAny('metadata removal');
  const encodedBytes = encodedSize(document);
  enforcePayloadQuota('removable attributes', encodedBytes);
  return { document, encodedBytes, forceReasons: collector.forceReasons };
}

/**
 * `copiableAttributes` for a subset copy: exactly the listed SOP instances of the listed series,
 * `{"SchemaVersion":"1.1","Study":{"Series":{<uid>:{"Instances":{<sop>:{}}}}}}`.
 */
export function buildCopySubset(
  series: Array<{ seriesInstanceUid: string; sopInstanceUids: string[] }>,
): MetadataChangeDocument {
  const collector = new Collector();
  if (series.length === 0) collector.field('series', 'EMPTY');
  const document: MetadataChangeDocument = { SchemaVersion: SCHEMA_VERSION, Study: { Series: {} } };
  series.forEach((entry, index) => {
    const path = `series[${index}]`;
    if (!checkUid(collector, `${path}.seriesInstanceUid`, entry.seriesInstanceUid)) return;
    const seriesMap = document.Study!.Series!;
    if (seriesMap[entry.seriesInstanceUid] !== undefined) {
      collector.field(`${path}.seriesInstanceUid`, 'DUPLICATE');
      return;
    }
    if (entry.sopInstanceUids.length === 0) collector.field(`${path}.sopInstanceUids`, 'EMPTY');
    const instances: Instances = {};
    entry.sopInstanceUids.forEach((sop, sopIndex) => {
      const sopPath = `${path}.sopInstanceUids[${sopIndex}]`;
      if (!checkUid(collector, sopPath, sop)) return;
      if (instances[sop] !== undefined) {
        collector.field(sopPath, 'DUPLICATE');
        return;
      }
      instances[sop] = {};
    });
    seriesMap[entry.seriesInstanceUid] = { Instances: instances };
  });
  collector.throwIfAny('copy selection');
  const bytes = encodedSize(document);
  if (bytes > COPIABLE_ATTRIBUTES_LIMIT_BYTES) {
    throw new BadUserInputError(
      `The copy selection is ${bytes} bytes once encoded; HealthImaging accepts at most ${COPIABLE_ATTRIBUTES_LIMIT_BYTES}. Copy fewer instances per request.`,
      { reason: 'PAYLOAD_TOO_LARGE', limitBytes: COPIABLE_ATTRIBUTES_LIMIT_BYTES, actualBytes: bytes },
    );
  }
  return document;
}
