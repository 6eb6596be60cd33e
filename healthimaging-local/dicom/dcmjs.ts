/**
 * The one door to dcmjs (it ships no type declarations): a typed view of the few parts we use,
 * reading P10 bytes into its raw ("denaturalized") datasets and writing them back.
 *
 * dcmjs logs through loglevel. Its messages can quote element values, and the house rule is that
 * no DICOM value reaches a log line, so its loggers are silenced here. One of its warnings carries
 * information we need: a binary value whose declared length runs past the end of the file is read
 * short instead of failing (dcmjs security advisory GHSA-xwvm-687g-rm36). We capture that warning
 * during a read and report the file as truncated.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- dcmjs has no type declarations to import by
const dcmjs = require('dcmjs') as DcmjsModule;

/** One element of a dcmjs raw dataset, keyed by its 8-hex-digit tag. */
export interface RawElement {
  vr: string;
  Value?: unknown[];
  /** The values as read, before dcmjs trims padding and parses numbers (strings keep their spaces). */
  _rawValue?: unknown;
}

export type RawDataset = Record<string, RawElement>;

export interface DictionaryEntry {
  tag: string;
  vr: string;
  vm: string;
  name: string;
}

export type NaturalDataset = Record<string, unknown>;

interface DicomDictInstance {
  meta: RawDataset;
  dict: RawDataset;
  write(options?: Record<string, unknown>): ArrayBuffer;
}

interface Logger {
  methodFactory: (methodName: string, level: number, loggerName: string | symbol) => (...args: unknown[]) => void;
  setLevel(level: string): void;
  rebuild?: () => void;
  getLogger(name: string): Logger;
}

interface DcmjsModule {
  data: {
    DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDictInstance };
    DicomDict: new (meta: RawDataset) => DicomDictInstance;
    DicomMetaDictionary: {
      dictionary: Record<string, DictionaryEntry | undefined>;
      nameMap: Record<string, DictionaryEntry | undefined>;
      naturalizeDataset(dict: RawDataset): NaturalDataset;
      denaturalizeDataset(dataset: NaturalDataset): RawDataset;
      punctuateTag(tag: string): string;
    };
  };
  log: Logger;
}

export const DicomMetaDictionary = dcmjs.data.DicomMetaDictionary;

let truncationSink: string[] | undefined;

function installLogCapture(): void {
  const root = dcmjs.log;
  root.setLevel('silent');
  const validation = root.getLogger('validation.dcmjs');
  validation.methodFactory =
    (methodName) =>
    (...args: unknown[]) => {
      if (methodName !== 'warn' || !truncationSink) return;
      const text = args.map(String).join(' ');
      if (/declares \d+ bytes but only \d+ are available/.test(text)) truncationSink.push(text);
    };
  validation.setLevel('warn');
  validation.rebuild?.();
}
installLogCapture();

export interface P10Read {
  meta: RawDataset;
  dict: RawDataset;
  /** True when dcmjs had to cut a value short because the file ended early. */
  truncated: boolean;
}

/**
 * Parses DICOM Part 10 bytes; throws whatever dcmjs throws on malformed input. `lenient` turns on
 * dcmjs's `ignoreErrors`, which the caller uses only to get past character sets dcmjs cannot
 * decode exactly (it then decodes with the first one).
 */
export function readP10(bytes: Uint8Array, lenient = false): P10Read {
  const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const sink: string[] = [];
  truncationSink = sink;
  try {
    const message = lenient
      ? dcmjs.data.DicomMessage.readFile(arrayBuffer, { ignoreErrors: true })
      : dcmjs.data.DicomMessage.readFile(arrayBuffer);
    return { meta: message.meta, dict: message.dict, truncated: sink.length > 0 };
  } finally {
    truncationSink = undefined;
  }
}

/** dcmjs refuses some Specific Character Set values outright; those files are still readable. */
export function isCharacterSetError(error: unknown): boolean {
  // Duck-typed: dcmjs may throw an Error of another realm.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /character set/i.test(message);
}

/** The PS3.6 data dictionary entry of an exact tag (8 hex digits), if dcmjs knows it. */
export function dictionaryEntry(tag: string): DictionaryEntry | undefined {
  return DicomMetaDictionary.dictionary[DicomMetaDictionary.punctuateTag(tag)];
}

/** Serialises a P10 file from a file meta group and a dataset, both in dcmjs raw form. */
export function writeP10(meta: RawDataset, dataset: RawDataset): Buffer {
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dataset;
  return Buffer.from(dict.write());
}

export const naturalizeDataset = (dict: RawDataset): NaturalDataset => DicomMetaDictionary.naturalizeDataset(dict);
export const denaturalizeDataset = (dataset: NaturalDataset): RawDataset =>
  DicomMetaDictionary.denaturalizeDataset(dataset);
