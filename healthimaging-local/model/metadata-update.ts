/**
 * UpdateImageSetMetadata with `DICOMUpdates`: decoding the payload and applying it to a metadata
 * document (the service's update rules and the developer guide's "DICOM metadata constraints").
 *
 * Where a violation surfaces — the rule this file follows:
 *
 * - Synchronous `ValidationException` (parseDicomUpdates): the payload is not a well-formed update
 *   document, which can be decided without reading the image set: not a base64 string, over the
 *   30000-byte model limit or the 10 KB quota, not JSON, not an object, unknown structural keys
 *   (top level: SchemaVersion, Patient, Study only), wrong nesting, a key that is neither a DICOM
 *   keyword nor an 8-hex tag, a standard element spelled as a hex tag, a hex tag outside the
 *   instance level, a hex tag in updatableAttributes without its `DICOMVRs` entry, and any
 *   service-generated field (SchemaVersion as an attribute, DatastoreID, ImageSetID, PixelData,
 *   Checksum, Width, Height, MinPixelValue, MaxPixelValue, FrameSizeInBytes, ImageFrames,
 *   StoredTransferSyntaxUID, ChecksumType), which no request can ever change.
 * - Asynchronous failure (applyDicomUpdates returns ok:false; the new version ends UPDATE_FAILED
 *   with the message): every "DICOM metadata constraint" that depends on the stored document or
 *   on the request's force / primary context: force-only elements (StudyInstanceUID,
 *   SeriesInstanceUID, SOPInstanceUID, StudyID), instance-level private and non-standard elements,
 *   SQ, multi-valued and VR-incompatible values, the primary-image-set restrictions, attributes
 *   given at the wrong level, a Series or Instance that is not in the image set, removals whose key
 *   or value does not match the stored attribute, SOP/Series UID changes that would collide.
 *
 * Levels: a keyword belongs where the import's level assignment (`../dicom/level-assignment`,
 * built from the PS3.3 modules of each information entity) puts it, or where the stored document
 * already holds it; hex-tag elements exist only at the instance level, as import writes them.
 *
 * Order of application: removableAttributes first, then updatableAttributes, so that one request
 * can drop an attribute and set a replacement. SQ / multi-valued / VR checks apply to values being
 * written; a removal is already guarded by having to repeat the stored value exactly.
 * Removing the last instance of a series drops the series; removing every instance of the image
 * set is refused (an image set holds at least one SOP instance).
 *
 * Messages name keywords, tags and levels only, never DICOM values or UIDs (patient data).
 */
import { levelOf } from '../dicom/level-assignment';
import { validation } from '../shapes/errors';
import { parseBoundedJson } from '../shapes/json-limits';
import type { DicomAttributes, InstanceNode, MetadataDocument, SeriesNode } from '../shapes/metadata-document';
import {
  elementByKeyword,
  isHexTagKey,
  isMultiValuedVm,
  isPrivateTagKey,
  isRepeatingGroupTagKey,
  keywordForHexTag,
  STANDARD_VRS,
} from './rules-dicom-dictionary';
import { deepClone, dicomValuesEqual, hasOwn, isPlainObject } from './rules-json';
import { carriesMultipleValues, valueFitsVr } from './rules-vr';

export interface ParsedUpdate {
  updatable?: Record<string, unknown> | undefined;
  removable?: Record<string, unknown> | undefined;
}

type Member = 'updatableAttributes' | 'removableAttributes';
type Level = 'Patient' | 'Study' | 'Series' | 'Instance';

/** Model length of the `DICOMAttribute` blob. */
const MODEL_MAX_BYTES = 30000;
/** Service quota "UpdateImageSetMetadata payload". */
const QUOTA_MAX_BYTES = 10 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const UID_KEY = /^[0-9.]{1,64}$/;

/** Fields HealthImaging generates; never writable, wherever they are put in a payload. */
const SERVICE_GENERATED = new Set([
  'SchemaVersion',
  'DatastoreID',
  'ImageSetID',
  'PixelData',
  'Checksum',
  'Width',
  'Height',
  'MinPixelValue',
  'MaxPixelValue',
  'FrameSizeInBytes',
  'ImageFrames',
  'StoredTransferSyntaxUID',
  'ChecksumType',
  'PixelDataChecksumFromBaseToFullResolution',
]);

/** Elements only `force` may change (API reference, `force` query parameter). */
const FORCE_ONLY_KEYWORDS = new Set(['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'StudyID']);
/** Of those, the ones a primary image set refuses even with `force` (developer guide). */
const PRIMARY_LOCKED_UIDS = new Set(['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID']);

/** Echo a key only when it is shaped like a keyword or tag, so that stray values never reach a message. */
function nameOf(key: string): string {
  return /^[A-Za-z0-9]{1,64}$/.test(key) ? key : 'a key';
}

function requireObject(member: Member, where: string, value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw validation(`${member}: ${where} must be a JSON object.`);
  return value;
}

function allowOnlyKeys(member: Member, where: string, node: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(node)) {
    if (allowed.includes(key)) continue;
    if (SERVICE_GENERATED.has(key))
      throw validation(`${member}: ${key} is generated by HealthImaging and cannot be updated.`);
    throw validation(`${member}: ${nameOf(key)} is not allowed in ${where}, expected ${allowed.join(', ')}.`);
  }
}

function checkAttributeKeys(
  member: Member,
  level: Level,
  dicom: Record<string, unknown>,
  vrs: Record<string, unknown> | undefined,
): void {
  for (const key of Object.keys(dicom)) {
    if (SERVICE_GENERATED.has(key))
      throw validation(`${member}: ${key} is generated by HealthImaging and cannot be updated.`);
    if (isHexTagKey(key)) {
      const keyword = keywordForHexTag(key);
      if (keyword) throw validation(`${member}: element ${key} is a standard element, use its keyword ${keyword}.`);
      if (level !== 'Instance')
        throw validation(`${member}: private or unknown element ${key} is only accepted at the Instance level.`);
      if (member === 'updatableAttributes' && (vrs === undefined || !hasOwn(vrs, key))) {
        throw validation(`${member}: element ${key} needs a DICOMVRs entry giving its VR.`);
      }
      continue;
    }
    if (!elementByKeyword(key)) throw validation(`${member}: ${nameOf(key)} is not a DICOM keyword.`);
  }
  if (vrs === undefined) return;
  for (const [key, vr] of Object.entries(vrs)) {
    if (!isHexTagKey(key) || !hasOwn(dicom, key)) {
      throw validation(
        `${member}: DICOMVRs entry ${nameOf(key)} does not name a hex-tag element of the same instance.`,
      );
    }
    if (typeof vr !== 'string' || !STANDARD_VRS.has(vr))
      throw validation(`${member}: DICOMVRs entry ${key} is not a DICOM VR.`);
  }
}

function checkDicomLevel(member: Member, level: Level, where: string, node: Record<string, unknown>): void {
  if (!hasOwn(node, 'DICOM')) return;
  checkAttributeKeys(member, level, requireObject(member, `${where}.DICOM`, node.DICOM), undefined);
}

function checkDocumentShape(member: Member, doc: Record<string, unknown>): void {
  allowOnlyKeys(member, 'the top level', doc, ['SchemaVersion', 'Patient', 'Study']);
  if (hasOwn(doc, 'SchemaVersion') && doc.SchemaVersion !== 1.1 && doc.SchemaVersion !== '1.1') {
    throw validation(`${member}: SchemaVersion must be 1.1.`);
  }
  if (hasOwn(doc, 'Patient')) {
    const patient = requireObject(member, 'Patient', doc.Patient);
    allowOnlyKeys(member, 'Patient', patient, ['DICOM']);
    checkDicomLevel(member, 'Patient', 'Patient', patient);
  }
  if (!hasOwn(doc, 'Study')) return;
  const study = requireObject(member, 'Study', doc.Study);
  allowOnlyKeys(member, 'Study', study, ['DICOM', 'Series']);
  checkDicomLevel(member, 'Study', 'Study', study);
  if (!hasOwn(study, 'Series')) return;
  for (const [seriesUid, rawSeries] of Object.entries(requireObject(member, 'Study.Series', study.Series))) {
    if (!UID_KEY.test(seriesUid)) throw validation(`${member}: Study.Series keys must be Series Instance UIDs.`);
    const series = requireObject(member, 'a Series entry', rawSeries);
    allowOnlyKeys(member, 'a Series entry', series, ['DICOM', 'Instances']);
    checkDicomLevel(member, 'Series', 'a Series entry', series);
    if (!hasOwn(series, 'Instances')) continue;
    for (const [sopUid, rawInstance] of Object.entries(requireObject(member, 'Instances', series.Instances))) {
      if (!UID_KEY.test(sopUid)) throw validation(`${member}: Instances keys must be SOP Instance UIDs.`);
      const instance = requireObject(member, 'an Instance entry', rawInstance);
      allowOnlyKeys(member, 'an Instance entry', instance, ['DICOM', 'DICOMVRs']);
      const dicom = hasOwn(instance, 'DICOM') ? requireObject(member, 'Instance DICOM', instance.DICOM) : {};
      const vrs = hasOwn(instance, 'DICOMVRs') ? requireObject(member, 'DICOMVRs', instance.DICOMVRs) : undefined;
      checkAttributeKeys(member, 'Instance', dicom, vrs);
    }
  }
}

function decodeMember(member: Member, raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string') throw validation(`${member} must be a base64-encoded blob.`);
  if (raw.length === 0) throw validation(`${member} must not be empty.`);
  if (raw.length > Math.ceil(MODEL_MAX_BYTES / 3) * 4)
    throw validation(`${member} must be at most ${MODEL_MAX_BYTES} bytes.`);
  if (raw.length % 4 !== 0 || !BASE64.test(raw)) throw validation(`${member} is not valid base64.`);
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length === 0) throw validation(`${member} must not be empty.`);
  if (bytes.length > MODEL_MAX_BYTES) throw validation(`${member} must be at most ${MODEL_MAX_BYTES} bytes.`);
  if (bytes.length > QUOTA_MAX_BYTES)
    throw validation(`${member} exceeds the 10 KB UpdateImageSetMetadata payload quota.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw validation(`${member} is not a UTF-8 JSON document.`);
  }
  const parsed = parseBoundedJson(text, member, `${member} is not a UTF-8 JSON document.`);
  if (!isPlainObject(parsed)) throw validation(`${member} must decode to a JSON object.`);
  checkDocumentShape(member, parsed);
  return parsed;
}

/** Decodes and shape-checks `DICOMUpdates`; throws ValidationException (see the file comment). */
export function parseDicomUpdates(body: {
  updatableAttributes?: unknown;
  removableAttributes?: unknown;
}): ParsedUpdate {
  if (!isPlainObject(body)) throw validation('DICOMUpdates must be an object.');
  const hasUpdatable = body.updatableAttributes !== undefined && body.updatableAttributes !== null;
  const hasRemovable = body.removableAttributes !== undefined && body.removableAttributes !== null;
  if (!hasUpdatable && !hasRemovable) {
    throw validation('DICOMUpdates must contain updatableAttributes, removableAttributes or both.');
  }
  const parsed: ParsedUpdate = {};
  if (hasRemovable) parsed.removable = decodeMember('removableAttributes', body.removableAttributes);
  if (hasUpdatable) parsed.updatable = decodeMember('updatableAttributes', body.updatableAttributes);
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Applying a parsed update to a document

class UpdateRejected extends Error {}

function reject(message: string): never {
  throw new UpdateRejected(`INVALID_REQUEST: ${message}`);
}

interface ApplyContext {
  force: boolean;
  isPrimary: boolean;
}

interface AttributeSite {
  level: Level;
  /** The stored attributes of the node the payload addresses. */
  stored: DicomAttributes;
  /** The stored VRs of an instance, for hex-tag elements. */
  storedVrs?: Record<string, string>;
}

const verb = (action: 'update' | 'remove'): string => (action === 'update' ? 'updated' : 'removed');

/** Level, primary-image-set and force rules shared by updates and removals of one attribute. */
function checkPermission(key: string, site: AttributeSite, action: 'update' | 'remove', ctx: ApplyContext): void {
  const { level } = site;
  if (!isHexTagKey(key)) {
    const home = levelOf(key);
    const alreadyHere = hasOwn(site.stored, key);
    if (level === 'Instance' && home !== 'Instance' && !alreadyHere) {
      reject(`${key} is a ${home} level attribute and cannot be given at the Instance level.`);
    }
    if (level !== 'Instance' && home !== level && !alreadyHere) {
      reject(`${key} is not a ${level} level attribute.`);
    }
  }
  if (ctx.isPrimary && (level === 'Patient' || level === 'Series')) {
    reject(`${level} level attributes of a primary image set cannot be ${verb(action)}.`);
  }
  if (ctx.isPrimary && PRIMARY_LOCKED_UIDS.has(key)) {
    reject(`${key} of a primary image set cannot be ${verb(action)}, even with force.`);
  }
  if (ctx.force) return;
  if (FORCE_ONLY_KEYWORDS.has(key)) reject(`${key} can only be ${verb(action)} with force.`);
  if (isPrivateTagKey(key)) reject(`private element ${key} can only be ${verb(action)} with force.`);
  if (isHexTagKey(key) && !isRepeatingGroupTagKey(key)) {
    reject(`element ${key} is not a standard DICOM element and can only be ${verb(action)} with force.`);
  }
}

/** Sequence, multi-value and VR rules for a value being written. */
function checkValue(key: string, value: unknown, vr: string, vm: string | undefined, ctx: ApplyContext): void {
  if (ctx.force) return;
  if (vr === 'SQ') reject(`${key} is a sequence (SQ) attribute and can only be updated with force.`);
  if ((vm !== undefined && isMultiValuedVm(vm)) || carriesMultipleValues(value, vr)) {
    reject(`${key} is a multi-valued attribute and can only be updated with force.`);
  }
  if (!valueFitsVr(value, vr))
    reject(`the value given for ${key} is not valid for its VR ${vr} and can only be written with force.`);
}

function removeAttributes(payload: Record<string, unknown>, site: AttributeSite, ctx: ApplyContext): void {
  for (const [key, value] of Object.entries(payload)) {
    if (!hasOwn(site.stored, key)) reject(`${key} is not present at the ${site.level} level, so it cannot be removed.`);
    checkPermission(key, site, 'remove', ctx);
    if (!dicomValuesEqual(site.stored[key], value)) {
      reject(
        `the value given for ${key} at the ${site.level} level does not match the stored value, so it was not removed.`,
      );
    }
    delete site.stored[key];
    if (site.storedVrs && hasOwn(site.storedVrs, key)) delete site.storedVrs[key];
  }
}

function writeAttributes(
  payload: Record<string, unknown>,
  site: AttributeSite,
  payloadVrs: Record<string, unknown>,
  ctx: ApplyContext,
): void {
  for (const [key, value] of Object.entries(payload)) {
    checkPermission(key, site, 'update', ctx);
    const definition = isHexTagKey(key) ? undefined : elementByKeyword(key);
    const vr = definition ? definition.vr : String(payloadVrs[key]);
    checkValue(key, value, vr, definition?.vm, ctx);
    site.stored[key] = deepClone(value);
    if (!definition && site.storedVrs) site.storedVrs[key] = vr;
  }
}

function objectAt(node: Record<string, unknown>, key: string): Record<string, unknown> {
  return isPlainObject(node[key]) ? node[key] : {};
}

function instanceSite(instance: InstanceNode): AttributeSite {
  if (!instance.DICOMVRs) instance.DICOMVRs = {};
  return { level: 'Instance', stored: instance.DICOM, storedVrs: instance.DICOMVRs };
}

function tidyVrs(instance: InstanceNode): void {
  if (instance.DICOMVRs && Object.keys(instance.DICOMVRs).length === 0) delete instance.DICOMVRs;
}

function countInstances(doc: MetadataDocument): number {
  return Object.values(doc.Study.Series).reduce((sum, series) => sum + Object.keys(series.Instances).length, 0);
}

function applyRemovals(doc: MetadataDocument, payload: Record<string, unknown>, ctx: ApplyContext): void {
  const patient = objectAt(payload, 'Patient');
  removeAttributes(objectAt(patient, 'DICOM'), { level: 'Patient', stored: doc.Patient.DICOM }, ctx);
  const study = objectAt(payload, 'Study');
  removeAttributes(objectAt(study, 'DICOM'), { level: 'Study', stored: doc.Study.DICOM }, ctx);
  for (const [seriesUid, rawSeries] of Object.entries(objectAt(study, 'Series'))) {
    const seriesPayload = rawSeries as Record<string, unknown>;
    const series = hasOwn(doc.Study.Series, seriesUid) ? doc.Study.Series[seriesUid] : undefined;
    if (!series) reject('a Series named in removableAttributes is not present in the image set.');
    if (Object.keys(seriesPayload).length === 0) {
      delete doc.Study.Series[seriesUid];
      continue;
    }
    removeAttributes(objectAt(seriesPayload, 'DICOM'), { level: 'Series', stored: series.DICOM }, ctx);
    for (const [sopUid, rawInstance] of Object.entries(objectAt(seriesPayload, 'Instances'))) {
      const instancePayload = rawInstance as Record<string, unknown>;
      const instance = hasOwn(series.Instances, sopUid) ? series.Instances[sopUid] : undefined;
      if (!instance) reject('an Instance named in removableAttributes is not present in its Series.');
      if (Object.keys(instancePayload).length === 0) {
        delete series.Instances[sopUid];
        continue;
      }
      removeAttributes(objectAt(instancePayload, 'DICOM'), instanceSite(instance), ctx);
      tidyVrs(instance);
    }
    if (Object.keys(series.Instances).length === 0) delete doc.Study.Series[seriesUid];
  }
  if (countInstances(doc) === 0)
    reject('removableAttributes would remove every SOP Instance, but an image set keeps at least one.');
}

/** A changed SOPInstanceUID / SeriesInstanceUID moves its node to the new key. */
function newKeyFor(keyword: string, stored: DicomAttributes, oldKey: string): string {
  const value = stored[keyword];
  if (value === undefined) return oldKey;
  if (typeof value !== 'string' || !UID_KEY.test(value.replace(/[ \0]+$/, ''))) {
    reject(`${keyword} must be a UID because it names its node in the metadata.`);
  }
  return value.replace(/[ \0]+$/, '');
}

function sopUidInUse(doc: MetadataDocument, sopUid: string): boolean {
  return Object.values(doc.Study.Series).some((series) => hasOwn(series.Instances, sopUid));
}

function applyInstanceUpdate(
  doc: MetadataDocument,
  series: SeriesNode,
  sopUid: string,
  payload: Record<string, unknown>,
  ctx: ApplyContext,
): void {
  const instance = hasOwn(series.Instances, sopUid) ? series.Instances[sopUid] : undefined;
  if (!instance) reject('an Instance named in updatableAttributes is not present in its Series.');
  writeAttributes(objectAt(payload, 'DICOM'), instanceSite(instance), objectAt(payload, 'DICOMVRs'), ctx);
  tidyVrs(instance);
  const newSop = newKeyFor('SOPInstanceUID', instance.DICOM, sopUid);
  if (newSop === sopUid) return;
  if (sopUidInUse(doc, newSop)) reject('the new SOPInstanceUID is already used by another Instance of the image set.');
  delete series.Instances[sopUid];
  series.Instances[newSop] = instance;
}

function applyUpdates(doc: MetadataDocument, payload: Record<string, unknown>, ctx: ApplyContext): void {
  const patient = objectAt(payload, 'Patient');
  writeAttributes(objectAt(patient, 'DICOM'), { level: 'Patient', stored: doc.Patient.DICOM }, {}, ctx);
  const study = objectAt(payload, 'Study');
  writeAttributes(objectAt(study, 'DICOM'), { level: 'Study', stored: doc.Study.DICOM }, {}, ctx);
  for (const [seriesUid, rawSeries] of Object.entries(objectAt(study, 'Series'))) {
    const seriesPayload = rawSeries as Record<string, unknown>;
    const series = hasOwn(doc.Study.Series, seriesUid) ? doc.Study.Series[seriesUid] : undefined;
    if (!series) reject('a Series named in updatableAttributes is not present in the image set.');
    writeAttributes(objectAt(seriesPayload, 'DICOM'), { level: 'Series', stored: series.DICOM }, {}, ctx);
    for (const [sopUid, rawInstance] of Object.entries(objectAt(seriesPayload, 'Instances'))) {
      applyInstanceUpdate(doc, series, sopUid, rawInstance as Record<string, unknown>, ctx);
    }
    const newSeriesUid = newKeyFor('SeriesInstanceUID', series.DICOM, seriesUid);
    if (newSeriesUid === seriesUid) continue;
    if (hasOwn(doc.Study.Series, newSeriesUid))
      reject('the new SeriesInstanceUID is already used by another Series of the image set.');
    delete doc.Study.Series[seriesUid];
    doc.Study.Series[newSeriesUid] = series;
  }
}

/**
 * Applies a parsed update to a copy of `doc`. `ok: false` means the write is accepted but the new
 * version ends UPDATE_FAILED with `message` (see the file comment for which rules land here).
 */
export function applyDicomUpdates(
  doc: MetadataDocument,
  update: ParsedUpdate,
  opts: { force: boolean; isPrimary: boolean },
): { ok: true; doc: MetadataDocument } | { ok: false; message: string } {
  const next = deepClone(doc);
  const ctx: ApplyContext = { force: opts.force, isPrimary: opts.isPrimary };
  try {
    if (update.removable) applyRemovals(next, update.removable, ctx);
    if (update.updatable) applyUpdates(next, update.updatable, ctx);
  } catch (error) {
    if (error instanceof UpdateRejected) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, doc: next };
}
