import { elementByKeyword } from '../../../src/imaging/dicom/dicom-dictionary';
import { singleValueRule } from '../../../src/imaging/dicom/dicom-value-rules';
import {
  MAX_SEQUENCE_DEPTH,
  checkElementValue,
  multiplicityRule,
  type ElementSpec,
  type ItemKeyResolver,
} from '../../../src/imaging/dicom/dicom-vr-rules';
import { newDocument, prepareInstance } from '../../../healthimaging-local/dicom/build-document';
import { readDicomInstance } from '../../../healthimaging-local/dicom/read-instance';
import { generateStudy, smallCtStudy, smallMrStudy } from '../../../scripts/synthetic-studies';

/** Item keys resolve through the registry; anything else is "reported" (recorded here). */
function registryResolver(unresolved: string[] = [], vrs: Record<string, string> = {}): ItemKeyResolver {
  return (itemPath, key) => {
    if (vrs[key]) return { vr: vrs[key] };
    const element = elementByKeyword(key);
    if (!element) {
      unresolved.push(`${itemPath}/${key}`);
      return undefined;
    }
    return { vr: element.vr, vm: element.vm };
  };
}

const rulesOf = (value: unknown, spec: ElementSpec) =>
  checkElementValue('p.X', 'X', value, spec, registryResolver()).map((problem) => problem.rule);

const DA_RULE = 'DA must be YYYYMMDD (a valid calendar date)';
const TM_RULE = 'TM must be HH[MM[SS[.FFFFFF]]] (hours 00-23, minutes 00-59, seconds 00-60, 1 to 6 fraction digits)';
const DT_RULE =
  'DT must be YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]] with an optional UTC offset &HHMM from -1200 to +1400 (a valid date and time)';
const UI_FORM = 'UI must be dot-separated numeric components without leading zeros';

/** [VR, value, the rule it breaks or null when valid]; one value each, so VM never interferes. */
const SINGLE_VALUES: Array<[string, unknown, string | null]> = [
  // DA: calendar dates, leap years, no ranges, no old formats.
  ['DA', '20240229', null],
  ['DA', '20000229', null],
  ['DA', '19000229', DA_RULE],
  ['DA', '20230229', DA_RULE],
  ['DA', '20240431', DA_RULE],
  ['DA', '20241301', DA_RULE],
  ['DA', '20240100', DA_RULE],
  ['DA', '2024.01.15', DA_RULE],
  ['DA', 'not-a-date', DA_RULE],
  ['DA', '20240101-', 'DA must be a single date YYYYMMDD (ranges are for queries, not updates)'],
  ['DA', '20240101-20241231', 'DA must be a single date YYYYMMDD (ranges are for queries, not updates)'],
  ['DA', 'Lovelace^Ada', DA_RULE],
  ['DA', '20240115 ', null],
  ['DA', 20240115, 'DA must be a string'],
  // TM: partial times, fractions, leap second.
  ['TM', '08', null],
  ['TM', '0830', null],
  ['TM', '083059.123456', null],
  ['TM', '235960', null],
  ['TM', '083059.', TM_RULE],
  ['TM', '083059.1234567', TM_RULE],
  ['TM', '0830.5', TM_RULE],
  ['TM', '2400', TM_RULE],
  ['TM', '0860', TM_RULE],
  ['TM', '08:30:00', TM_RULE],
  ['TM', '0800-1000', 'TM must be a single time (ranges are for queries, not updates)'],
  // DT: precision levels, offsets.
  ['DT', '2024', null],
  ['DT', '20240229083059.5', null],
  ['DT', '20240115083059.123456+1400', null],
  ['DT', '20240115-1200', null],
  ['DT', '2024+0530', null],
  ['DT', '20240115-1300', DT_RULE],
  ['DT', '20240115+1401', DT_RULE],
  ['DT', '20240115+0160', DT_RULE],
  ['DT', '20230229', DT_RULE],
  ['DT', '2024011525', DT_RULE],
  ['DT', '2024-01-15T08:30', DT_RULE],
  // PN: 5 components, 3 groups, 64 characters per group, DICOM JSON object form.
  ['PN', 'Lovelace^Ada', null],
  ['PN', 'Lovelace^Ada^King^Lady^Countess', null],
  [
    'PN',
    'Lovelace^Ada^King^Lady^Countess^X',
    'PN allows at most 5 components per group (family^given^middle^prefix^suffix)',
  ],
  ['PN', 'Yamada^Tarou=山田^太郎=やまだ^たろう', null],
  ['PN', 'A=B=C=D', 'PN allows at most 3 component groups (alphabetic=ideographic=phonetic)'],
  ['PN', `${'A'.repeat(40)}^${'B'.repeat(23)}`, null],
  ['PN', `${'A'.repeat(40)}^${'B'.repeat(24)}`, 'PN component groups must be at most 64 characters'],
  ['PN', `${'山'.repeat(64)}`, null],
  ['PN', 'Bad\nName', 'PN may not contain backslashes or control characters'],
  ['PN', { Alphabetic: 'Lovelace^Ada', Ideographic: '山田^太郎' }, null],
  ['PN', { Alphabetic: 'A^B^C^D^E^F' }, 'PN allows at most 5 components per group (family^given^middle^prefix^suffix)'],
  ['PN', { Nickname: 'Ada' }, 'PN as an object may only hold Alphabetic, Ideographic and Phonetic strings'],
  ['PN', { Alphabetic: 'A=B' }, 'PN as an object may only hold Alphabetic, Ideographic and Phonetic strings'],
  [
    'PN',
    42,
    'PN must be a string (family^given^middle^prefix^suffix) or an object of Alphabetic, Ideographic and Phonetic strings',
  ],
  // UI: 64 characters, digit components, no leading zeros.
  ['UI', '1.2.840.10008.5.1.4.1.1.2', null],
  ['UI', `1.${'2'.repeat(62)}`, null],
  ['UI', `1.${'2'.repeat(63)}`, 'UI must be at most 64 characters'],
  ['UI', '1.2.3\0', null],
  ['UI', '0.1', null],
  ['UI', '1.02.3', UI_FORM],
  ['UI', '1..2', UI_FORM],
  ['UI', '1.2.', UI_FORM],
  ['UI', '1.2.a', UI_FORM],
  ['UI', '1.2.3 ', UI_FORM],
  // CS: upper case, 16 characters.
  ['CS', 'ORIGINAL_1', null],
  ['CS', 'ISO_IR 192', null],
  ['CS', 'ABCDEFGHIJKLMNOP', null],
  ['CS', 'ABCDEFGHIJKLMNOPQ', 'CS must be at most 16 characters'],
  ['CS', 'original', 'CS may only contain uppercase letters, digits, spaces and underscores'],
  ['CS', 'A-B', 'CS may only contain uppercase letters, digits, spaces and underscores'],
  // IS: 12 characters, 32-bit range, number or string.
  ['IS', '-2147483648', null],
  ['IS', ' +42 ', null],
  ['IS', 2147483647, null],
  ['IS', 2147483648, 'IS must be between -2147483648 and 2147483647'],
  ['IS', '2147483648', 'IS must be between -2147483648 and 2147483647'],
  ['IS', '0000000000001', 'IS must be an integer string of at most 12 characters'],
  ['IS', '1.5', 'IS must be an integer string of at most 12 characters'],
  ['IS', 1.5, 'IS must be an integer'],
  ['IS', true, 'IS must be an integer or an integer string'],
  // DS: 16 bytes, fixed or exponent form, number or string.
  ['DS', '-1000 ', null],
  ['DS', '1.5e-3', null],
  ['DS', '.5', null],
  ['DS', '1234567890.12345', null],
  ['DS', '1234567890.123456', 'DS must be at most 16 characters'],
  ['DS', '1,5', 'DS must be a decimal string (fixed point or exponent form)'],
  ['DS', 'NaN', 'DS must be a decimal string (fixed point or exponent form)'],
  ['DS', '1e999', 'DS must be a finite number'],
  ['DS', 0.5, null],
  ['DS', 0.12345678901234568, 'DS must be writable in at most 16 characters'],
  // Texts: lengths in characters, repertoires.
  ['LO', 'x'.repeat(64), null],
  ['LO', 'é'.repeat(64), null],
  ['LO', 'x'.repeat(65), 'LO must be at most 64 characters'],
  ['LO', 'tab\there', 'LO may not contain backslashes or control characters'],
  ['LO', 5, 'LO must be a string'],
  ['SH', 'x'.repeat(16), null],
  ['SH', 'x'.repeat(17), 'SH must be at most 16 characters'],
  ['ST', 'line\r\nline\tback\\slash', null],
  ['ST', 'x'.repeat(1025), 'ST must be at most 1024 characters'],
  ['LT', 'x'.repeat(10240), null],
  ['LT', 'x'.repeat(10241), 'LT must be at most 10240 characters'],
  ['LT', 'bell\x07', 'LT may not contain control characters other than TAB, LF, FF, CR and ESC'],
  ['UT', 'paragraph\n\fnext', null],
  ['UT', 'nul\0', 'UT may not contain control characters other than TAB, LF, FF, CR and ESC'],
  ['UC', 'x'.repeat(1000), null],
  ['UC', 'a\u0085b', 'UC may not contain backslashes or control characters'],
  // AS, AE, UR, AT.
  ['AS', '045Y', null],
  ['AS', '003D', null],
  ['AS', '45Y', 'AS must be nnnD, nnnW, nnnM or nnnY'],
  ['AS', '045y', 'AS must be nnnD, nnnW, nnnM or nnnY'],
  ['AE', 'STORESCP', null],
  ['AE', 'A'.repeat(17), 'AE must be at most 16 characters'],
  ['AE', 'ÄE', 'AE may only contain printable ASCII characters other than backslash'],
  ['UR', 'https://example.org/wado?study=1.2.3&x=%20', null],
  ['UR', 'has space', 'UR must be a URI or URI reference (RFC 3986 characters, no spaces)'],
  ['UR', ' http://x', 'UR must be a URI or URI reference (RFC 3986 characters, no spaces)'],
  ['AT', '00100010', null],
  ['AT', '0010,0010', 'AT must be an 8-hex-digit tag GGGGEEEE'],
  // Binary numbers: JSON numbers within range.
  ['US', 0, null],
  ['US', 65535, null],
  ['US', 65536, 'US must be an integer from 0 to 65535'],
  ['US', -1, 'US must be an integer from 0 to 65535'],
  ['US', '512', 'US must be an integer from 0 to 65535'],
  ['SS', -32768, null],
  ['SS', 32768, 'SS must be an integer from -32768 to 32767'],
  ['UL', 4294967295, null],
  ['UL', 1.5, 'UL must be an integer from 0 to 4294967295'],
  ['SL', -2147483649, 'SL must be an integer from -2147483648 to 2147483647'],
  ['FL', 3.4e38, null],
  ['FL', 3.5e38, 'FL must be a finite number within single-precision range'],
  ['FD', -1.7976931348623157e308, null],
  ['FD', '1.0', 'FD must be a finite number'],
  // Bulk binary: base64 of whole words.
  ['OB', 'AAE=', null],
  ['OB', 'not base64!', 'OB must be base64-encoded bytes'],
  ['OW', 'AAE=', null],
  ['OW', 'AA==', 'OW must be base64 of whole 2-byte words'],
  ['OF', 'AAAAAA==', null],
  ['OF', 'AAAA', 'OF must be base64 of whole 4-byte words'],
  // Empty values fit every VR.
  ['DA', '', null],
  ['US', null, null],
];

describe('singleValueRule and checkElementValue: one value per VR', () => {
  it.each(SINGLE_VALUES)('%s %j → %s', (vr, value, rule) => {
    expect(singleValueRule(value, vr) ?? null).toBe(rule);
    expect(rulesOf(value, { vr, vm: '1' })).toEqual(rule === null ? [] : [rule]);
  });
});

describe('problems never carry the value', () => {
  it('no broken rule or path repeats the value it was given for', () => {
    // Digits-only values are left out: they can coincide with a bound the rule states (IS 2147483648).
    const invalid = SINGLE_VALUES.filter(
      ([, value, rule]) =>
        rule !== null && typeof value === 'string' && value.trim().length >= 4 && !/^[\d ]+$/.test(value),
    );
    expect(invalid.length).toBeGreaterThan(40);
    for (const [vr, value] of invalid) {
      const reported = JSON.stringify(
        checkElementValue('p.X', 'X', [value, value], { vr, vm: '1' }, registryResolver()),
      );
      expect([vr, reported.includes(JSON.stringify(value).slice(1, -1))]).toEqual([vr, false]);
    }
  });
});

describe('value multiplicity', () => {
  it.each([
    [1, '1', undefined],
    [2, '1', 'VM 1 needs exactly 1 value (got 2)'],
    [2, '2', undefined],
    [3, '2', 'VM 2 needs exactly 2 values (got 3)'],
    [5, '1-n', undefined],
    [1, '2-n', 'VM 2-n needs at least 2 values (got 1)'],
    [4, '1-3', 'VM 1-3 needs 1 to 3 values (got 4)'],
    [6, '3-3n', undefined],
    [4, '3-3n', 'VM 3-3n needs a multiple of 3 values, at least 3 (got 4)'],
    [4, '2-2n', undefined],
    [0, '2', undefined],
  ])('%i value(s) for VM %s', (count, vm, rule) => {
    expect(multiplicityRule(count, vm)).toBe(rule);
  });

  it('counts array members and backslash-separated values alike, and checks each value', () => {
    const pixelSpacing = elementByKeyword('PixelSpacing')!;
    expect(rulesOf(['0.5', '0.5'], pixelSpacing)).toEqual([]);
    expect(rulesOf('0.5\\0.5', pixelSpacing)).toEqual([]);
    expect(rulesOf([0.5, 0.5, 0.5], pixelSpacing)).toEqual(['VM 2 needs exactly 2 values (got 3)']);
    expect(rulesOf('0.5', pixelSpacing)).toEqual(['VM 2 needs exactly 2 values (got 1)']);
    const problems = checkElementValue(
      'study.ImageType',
      'ImageType',
      ['ORIGINAL', 'primary'],
      elementByKeyword('ImageType')!,
      registryResolver(),
    );
    expect(problems).toEqual([
      {
        path: 'study.ImageType[1]',
        keyword: 'ImageType',
        rule: 'CS may only contain uppercase letters, digits, spaces and underscores',
      },
    ]);
  });

  it('refuses several values for a single-valued element, however they are written', () => {
    const sex = elementByKeyword('PatientSex')!;
    expect(rulesOf('M\\F', sex)).toEqual(['VM 1 needs exactly 1 value (got 2)']);
    expect(rulesOf(['M', 'F'], sex)).toEqual(['VM 1 needs exactly 1 value (got 2)']);
    expect(rulesOf(['M'], sex)).toEqual([]);
  });

  it('treats a backslash in LT, ST, UT and UR as part of the one value', () => {
    expect(rulesOf('a\\b', { vr: 'LT', vm: '1' })).toEqual([]);
    expect(rulesOf(['a', 'b'], { vr: 'LT', vm: '1' })).toEqual(['VM 1 needs exactly 1 value (got 2)']);
  });

  it('refuses nested arrays and treats null and [] as an empty element', () => {
    expect(rulesOf([['1']], { vr: 'IS', vm: '1-n' })).toEqual(['IS values may not be nested arrays']);
    expect(rulesOf(null, elementByKeyword('ImagePositionPatient')!)).toEqual([]);
    expect(rulesOf([], elementByKeyword('ImagePositionPatient')!)).toEqual([]);
    expect(rulesOf(['1', null, '3'], elementByKeyword('ImagePositionPatient')!)).toEqual([]);
  });

  it('lets private elements (no VM in the registry) carry any number of values', () => {
    expect(rulesOf(['A', 'B', 'C'], { vr: 'LO' })).toEqual([]);
    expect(rulesOf(['A', 'b'], { vr: 'CS' })).toEqual([
      'CS may only contain uppercase letters, digits, spaces and underscores',
    ]);
  });

  it('checks registry pseudo-VRs against each VR they stand for', () => {
    const smallest = elementByKeyword('SmallestPixelValueInSeries')!;
    expect(smallest.vr).toBe('xs');
    expect(rulesOf(-5, smallest)).toEqual([]);
    expect(rulesOf(60000, smallest)).toEqual([]);
    expect(rulesOf(70000, smallest)).toEqual([
      'US must be an integer from 0 to 65535, or SS must be an integer from -32768 to 32767',
    ]);
  });
});

describe('sequences', () => {
  const codeSequence = elementByKeyword('ProcedureCodeSequence')!;

  it('checks every item recursively, with paths down to the nested element', () => {
    const unresolved: string[] = [];
    const problems = checkElementValue(
      'study.ProcedureCodeSequence',
      'ProcedureCodeSequence',
      [
        { CodeValue: '71250', CodingSchemeDesignator: 'CPT', CodeMeaning: 'CT THORAX' },
        {
          CodeValue: 'x'.repeat(70),
          CodingSchemeDesignator: 'Local Scheme',
          Bogus: 1,
          PurposeOfReferenceCodeSequence: [{ CodeValue: '1', ContextUID: '1.02' }],
        },
      ],
      codeSequence,
      registryResolver(unresolved),
    );
    expect(problems).toEqual([
      {
        path: 'study.ProcedureCodeSequence[1].CodeValue',
        keyword: 'CodeValue',
        rule: 'SH must be at most 16 characters',
      },
      {
        path: 'study.ProcedureCodeSequence[1].PurposeOfReferenceCodeSequence[0].ContextUID',
        keyword: 'ContextUID',
        rule: UI_FORM,
      },
    ]);
    expect(unresolved).toEqual(['study.ProcedureCodeSequence[1]/Bogus']);
  });

  it('accepts empty sequences and empty items, refuses anything but an array of objects', () => {
    expect(rulesOf([], codeSequence)).toEqual([]);
    expect(rulesOf([{}], codeSequence)).toEqual([]);
    expect(rulesOf(null, codeSequence)).toEqual([]);
    expect(rulesOf({ CodeValue: '1' }, codeSequence)).toEqual(['SQ must be an array of item objects']);
    expect(rulesOf(['71250'], codeSequence)).toEqual(['SQ must be an array of item objects']);
    expect(rulesOf([[{}]], codeSequence)).toEqual(['SQ must be an array of item objects']);
  });

  it('takes the VR of private elements in items from the resolver', () => {
    const resolve = registryResolver([], { '00091001': 'US' });
    const problems = checkElementValue(
      'i.ProcedureCodeSequence',
      'ProcedureCodeSequence',
      [{ '00091001': 'a' }],
      codeSequence,
      resolve,
    );
    expect(problems).toEqual([
      {
        path: 'i.ProcedureCodeSequence[0].00091001',
        keyword: '00091001',
        rule: 'US must be an integer from 0 to 65535',
      },
    ]);
  });

  it('refuses nesting deeper than it can be meaningful, without recursing further', () => {
    let value: unknown = [{}];
    for (let i = 0; i < MAX_SEQUENCE_DEPTH + 5; i++) value = [{ ProcedureCodeSequence: value }];
    const rules = rulesOf(value, codeSequence);
    expect(rules).toEqual([`SQ may nest at most ${MAX_SEQUENCE_DEPTH} levels deep`]);
  });
});

describe('values HealthImaging stores', () => {
  it.each([
    ['CT', smallCtStudy],
    ['MR', smallMrStudy],
  ])('every value of an imported %s metadata document passes, so what is read can be written back', (_label, spec) => {
    const files = generateStudy(spec);
    const doc = newDocument(
      'a'.repeat(32),
      'b'.repeat(32),
      files.map((f, i) => {
        const parsed = readDicomInstance(f.bytes);
        // One stored id per frame, as an import gives (a multi-frame instance has several).
        return prepareInstance(
          parsed,
          parsed.frames.map((_frame, frame) => `${i}-${frame}`.padEnd(32, '0')),
        );
      }),
    );
    const attributeMaps: Array<[string, Record<string, unknown>, Record<string, string>]> = [
      ['patient', doc.Patient.DICOM, {}],
      ['study', doc.Study.DICOM, {}],
    ];
    for (const [uid, series] of Object.entries(doc.Study.Series)) {
      attributeMaps.push([`series ${uid}`, series.DICOM, {}]);
      for (const [sop, instance] of Object.entries(series.Instances)) {
        attributeMaps.push([`instance ${sop}`, instance.DICOM, instance.DICOMVRs ?? {}]);
      }
    }
    let checked = 0;
    const problems = attributeMaps.flatMap(([where, attributes, vrs]) =>
      Object.entries(attributes).flatMap(([key, value]) => {
        const tagged = /^[0-9A-F]{8}$/.test(key);
        const vr = vrs[key];
        const element = tagged ? (vr === undefined ? undefined : { vr }) : elementByKeyword(key);
        if (!element) return [`${where}: ${key} ${tagged ? 'has no VR' : 'is not in the registry'}`];
        checked += 1;
        return checkElementValue(`${where}.${key}`, key, value, element, registryResolver([], vrs)).map(
          (p) => `${p.path}: ${p.rule}`,
        );
      }),
    );
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});
