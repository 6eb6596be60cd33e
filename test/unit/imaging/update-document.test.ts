import { BadUserInputError } from '../../../src/errors/gateway-errors';
import { levelTable } from '../../../src/imaging/dicom/dicom-dictionary';
import {
  FORCE_REQUIRED_KEYWORDS,
  UPDATE_PAYLOAD_LIMIT_BYTES,
  buildCopySubset,
  buildRemovableAttributes,
  buildUpdatableAttributes,
  type InvalidKeyword,
  type InvalidValue,
} from '../../../src/imaging/writes/update-document';
import { levelOf, levelTableKeywords } from '../../../healthimaging-local/dicom/level-assignment';
import { thrownBy } from '../../support/thrown-by';

const ctSeries = '1.2.840.113619.2.55.3.1';
const ctInstance = '1.2.840.113619.2.55.3.1.1';
const PATIENT_VALUE = 'DOE^JANE';

const failure = (run: () => unknown): BadUserInputError => thrownBy(run, BadUserInputError);

describe('buildUpdatableAttributes', () => {
  it('puts each level where the wire format expects it', () => {
    const built = buildUpdatableAttributes({
      patient: { PatientName: PATIENT_VALUE },
      study: { StudyDescription: 'CT CHEST' },
      series: [{ seriesInstanceUid: ctSeries, attributes: { SeriesDescription: 'AXIAL' } }],
      instances: [
        {
          seriesInstanceUid: ctSeries,
          sopInstanceUid: ctInstance,
          attributes: { InstanceNumber: '7', '00091001': 'GE_GENESIS_DD' },
          vrs: { '00091001': 'LO' },
        },
      ],
    });
    expect(built.document).toEqual({
      SchemaVersion: '1.1',
      Patient: { DICOM: { PatientName: PATIENT_VALUE } },
      Study: {
        DICOM: { StudyDescription: 'CT CHEST' },
        Series: {
          [ctSeries]: {
            DICOM: { SeriesDescription: 'AXIAL' },
            Instances: {
              [ctInstance]: {
                DICOM: { InstanceNumber: '7', '00091001': 'GE_GENESIS_DD' },
                DICOMVRs: { '00091001': 'LO' },
              },
            },
          },
        },
      },
    });
    expect(built.encodedBytes).toBe(Buffer.byteLength(JSON.stringify(built.document)));
    expect(built.forceReasons).toEqual([
      { path: 'instances[0].attributes', keyword: '00091001', reason: 'PRIVATE_ELEMENT' },
    ]);
  });

  it('names every bad keyword in one error, with its path and problem, and never the values', () => {
    const error = failure(() =>
      buildUpdatableAttributes({
        patient: { PatientName: PATIENT_VALUE, StudyDescription: PATIENT_VALUE, NotAKeyword: PATIENT_VALUE },
        study: { PatientID: PATIENT_VALUE },
        series: [{ seriesInstanceUid: ctSeries, attributes: { '00091001': PATIENT_VALUE, PixelData: null } }],
        instances: [
          {
            seriesInstanceUid: ctSeries,
            sopInstanceUid: ctInstance,
            attributes: { '00100010': PATIENT_VALUE, '00291010': 'x' },
          },
        ],
      }),
    );
    const problems = (error.extensions.invalidKeywords as InvalidKeyword[]).map((k) => [k.path, k.keyword, k.problem]);
    expect(problems).toEqual([
      ['patient', 'StudyDescription', 'WRONG_LEVEL'],
      ['patient', '(key #3 of the map that is not a DICOM keyword)', 'UNKNOWN_KEYWORD'],
      ['study', 'PatientID', 'WRONG_LEVEL'],
      ['series[0].attributes', '00091001', 'PRIVATE_TAG_OUTSIDE_INSTANCE'],
      ['series[0].attributes', 'PixelData', 'SERVICE_GENERATED'],
      ['instances[0].attributes', '00100010', 'STANDARD_TAG_AS_HEX'],
      ['instances[0].attributes', '00291010', 'MISSING_VR'],
    ]);
    expect(error.message).toContain('7 invalid keyword(s)');
    expect(JSON.stringify({ message: error.message, extensions: error.extensions })).not.toContain(PATIENT_VALUE);
  });

  it('tells where a keyword at the wrong level belongs', () => {
    const error = failure(() => buildUpdatableAttributes({ study: { Modality: 'CT' } }));
    expect(error.extensions.invalidKeywords).toEqual([
      { path: 'study', keyword: 'Modality', problem: 'WRONG_LEVEL', allowedLevels: ['SERIES'] },
    ]);
  });

  it('accepts equipment and frame-of-reference attributes at series or instance level', () => {
    expect(() =>
      buildUpdatableAttributes({
        series: [{ seriesInstanceUid: ctSeries, attributes: { Manufacturer: 'GE' } }],
        instances: [
          { seriesInstanceUid: ctSeries, sopInstanceUid: ctInstance, attributes: { FrameOfReferenceUID: '1.2' } },
        ],
      }),
    ).not.toThrow();
  });

  it('refuses malformed and duplicate UIDs without echoing them', () => {
    const error = failure(() =>
      buildUpdatableAttributes({
        series: [
          { seriesInstanceUid: PATIENT_VALUE, attributes: { SeriesDescription: 'x' } },
          { seriesInstanceUid: ctSeries, attributes: { SeriesDescription: 'x' } },
          { seriesInstanceUid: ctSeries, attributes: { SeriesDescription: 'y' } },
        ],
      }),
    );
    expect(error.extensions.invalidFields).toEqual([
      { path: 'series[0].seriesInstanceUid', problem: 'INVALID_UID' },
      { path: 'series[2].seriesInstanceUid', problem: 'DUPLICATE' },
    ]);
    expect(error.message).not.toContain(PATIENT_VALUE);
  });

  it('rejects an invalid VR and a VR for an attribute that is not there', () => {
    const error = failure(() =>
      buildUpdatableAttributes({
        instances: [
          {
            seriesInstanceUid: ctSeries,
            sopInstanceUid: ctInstance,
            attributes: { '00091001': 'x' },
            vrs: { '00091001': 'ZZ', '00091002': 'LO' },
          },
        ],
      }),
    );
    expect((error.extensions.invalidKeywords as InvalidKeyword[]).map((k) => k.problem)).toEqual([
      'INVALID_VR',
      'VR_WITHOUT_ATTRIBUTE',
    ]);
  });

  it('flags the changes the upstream only accepts with force', () => {
    const built = buildUpdatableAttributes({
      study: { StudyID: '42', ProcedureCodeSequence: [{}] },
      series: [{ seriesInstanceUid: ctSeries, attributes: { SeriesInstanceUID: '1.2.3' } }],
      instances: [
        { seriesInstanceUid: ctSeries, sopInstanceUid: ctInstance, attributes: { ImageType: ['ORIGINAL', 'PRIMARY'] } },
      ],
    });
    expect(built.forceReasons.map((r) => [r.keyword, r.reason])).toEqual([
      ['StudyID', 'FORCE_ONLY_ELEMENT'],
      ['ProcedureCodeSequence', 'SEQUENCE'],
      ['SeriesInstanceUID', 'FORCE_ONLY_ELEMENT'],
      ['ImageType', 'MULTI_VALUED'],
    ]);
  });

  it('enforces the 10 KB payload quota with a clear message', () => {
    // An LT holds up to 10240 characters, so this value is valid and only the quota refuses it.
    const big = 'A'.repeat(UPDATE_PAYLOAD_LIMIT_BYTES);
    const error = failure(() => buildUpdatableAttributes({ study: { AdditionalPatientHistory: big } }));
    expect(error.extensions.reason).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/at most 10240 bytes per update/);
    expect(error.message).not.toContain(big);
  });

  it('refuses an empty update', () => {
    expect(failure(() => buildUpdatableAttributes({})).extensions.invalidFields).toEqual([
      { path: 'updatableAttributes', problem: 'EMPTY' },
    ]);
  });
});

describe('buildUpdatableAttributes: values against their VR and VM', () => {
  it("refuses the finding's example, naming both attributes and rules and neither value", () => {
    const error = failure(() =>
      buildUpdatableAttributes({ patient: { PatientBirthDate: 'not-a-date' }, study: { StudyDate: 'Lovelace^Ada' } }),
    );
    expect(error.extensions.invalidValues).toEqual([
      {
        path: 'patient.PatientBirthDate',
        keyword: 'PatientBirthDate',
        rule: 'DA must be YYYYMMDD (a valid calendar date)',
      },
      { path: 'study.StudyDate', keyword: 'StudyDate', rule: 'DA must be YYYYMMDD (a valid calendar date)' },
    ]);
    expect(error.message).toBe(
      'The metadata update cannot be sent: 2 invalid value(s) (patient.PatientBirthDate: DA must be YYYYMMDD ' +
        '(a valid calendar date); study.StudyDate: DA must be YYYYMMDD (a valid calendar date)).',
    );
    const reported = JSON.stringify({ message: error.message, extensions: error.extensions });
    for (const value of ['not-a-date', 'Lovelace', 'Ada']) expect(reported).not.toContain(value);
  });

  it('checks values at every level, keyword and private tag alike, and collects every problem at once', () => {
    const error = failure(() =>
      buildUpdatableAttributes({
        patient: { PatientName: 'A^B^C^D^E^F', PatientSex: 'M\\F', Bogus: 'x' },
        study: { StudyTime: '25', StudyInstanceUID: '1.2.03' },
        series: [{ seriesInstanceUid: ctSeries, attributes: { SeriesNumber: '1.5', Modality: 'ct' } }],
        instances: [
          {
            seriesInstanceUid: ctSeries,
            sopInstanceUid: ctInstance,
            attributes: { PixelSpacing: [0.5], Rows: -1, '00091001': 'x'.repeat(65) },
            vrs: { '00091001': 'LO' },
          },
        ],
      }),
    );
    expect((error.extensions.invalidValues as InvalidValue[]).map((v) => [v.path, v.rule])).toEqual([
      ['patient.PatientName', 'PN allows at most 5 components per group (family^given^middle^prefix^suffix)'],
      ['patient.PatientSex', 'VM 1 needs exactly 1 value (got 2)'],
      [
        'study.StudyTime',
        'TM must be HH[MM[SS[.FFFFFF]]] (hours 00-23, minutes 00-59, seconds 00-60, 1 to 6 fraction digits)',
      ],
      ['study.StudyInstanceUID', 'UI must be dot-separated numeric components without leading zeros'],
      ['series[0].attributes.SeriesNumber', 'IS must be an integer string of at most 12 characters'],
      ['series[0].attributes.Modality', 'CS may only contain uppercase letters, digits, spaces and underscores'],
      ['instances[0].attributes.PixelSpacing', 'VM 2 needs exactly 2 values (got 1)'],
      ['instances[0].attributes.Rows', 'US must be an integer from 0 to 65535'],
      ['instances[0].attributes.00091001', 'LO must be at most 64 characters'],
    ]);
    const bogus = '(key #3 of the map that is not a DICOM keyword; did you mean B1rms, Bold, BolusID?)';
    expect(error.extensions.invalidKeywords).toEqual([{ path: 'patient', keyword: bogus, problem: 'UNKNOWN_KEYWORD' }]);
    expect(error.message).toContain(
      `The metadata update cannot be sent: 1 invalid keyword(s): ${bogus}; 9 invalid value(s) (patient.PatientName: `,
    );
  });

  it('accepts the value forms HealthImaging stores', () => {
    expect(() =>
      buildUpdatableAttributes({
        patient: {
          PatientName: { Alphabetic: 'Lovelace^Ada' },
          PatientBirthDate: '18151210',
          PatientSex: null,
          OtherPatientIDs: ['A', 'B'],
        },
        study: {
          StudyDate: '20240229',
          StudyTime: '083000.5 ',
          PatientAge: '036Y',
          PatientWeight: 61.5,
          PatientSize: '1.65',
        },
        series: [
          {
            seriesInstanceUid: ctSeries,
            attributes: { SeriesNumber: 3, Modality: 'CT', SeriesDescription: 'Thorax – axial' },
          },
        ],
        instances: [
          {
            seriesInstanceUid: ctSeries,
            sopInstanceUid: ctInstance,
            attributes: {
              ImagePositionPatient: '-80\\-80\\12.5',
              ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
              Rows: 512,
              '00091001': 7,
            },
            vrs: { '00091001': 'US' },
          },
        ],
      }),
    ).not.toThrow();
  });

  it('checks sequence items recursively, their keywords included, and takes nested private VRs from vrs', () => {
    const error = failure(() =>
      buildUpdatableAttributes({
        study: {
          ProcedureCodeSequence: [
            { CodeValue: '71250', CodeMeaning: 'CT', NotAKeyword: 'x' },
            { CodeValue: 'x'.repeat(17) },
          ],
        },
        instances: [
          {
            seriesInstanceUid: ctSeries,
            sopInstanceUid: ctInstance,
            attributes: {
              ReferencedImageSequence: [
                { ReferencedSOPInstanceUID: '1.2.3', '00091010': 70000, '00091011': 'x', '00100010': 'x' },
              ],
            },
            vrs: { '00091010': 'US' },
          },
        ],
      }),
    );
    expect((error.extensions.invalidValues as InvalidValue[]).map((v) => [v.path, v.keyword, v.rule])).toEqual([
      ['study.ProcedureCodeSequence[1].CodeValue', 'CodeValue', 'SH must be at most 16 characters'],
      [
        'instances[0].attributes.ReferencedImageSequence[0].00091010',
        '00091010',
        'US must be an integer from 0 to 65535',
      ],
    ]);
    expect((error.extensions.invalidKeywords as InvalidKeyword[]).map((k) => [k.path, k.keyword, k.problem])).toEqual([
      ['study.ProcedureCodeSequence[0]', '(a key that is not a DICOM keyword)', 'UNKNOWN_KEYWORD'],
      ['instances[0].attributes.ReferencedImageSequence[0]', '00091011', 'MISSING_VR'],
      ['instances[0].attributes.ReferencedImageSequence[0]', '00100010', 'STANDARD_TAG_AS_HEX'],
    ]);
  });

  it('does not check values it already refused for their keyword, or values of removals', () => {
    const error = failure(() => buildUpdatableAttributes({ study: { PatientBirthDate: 'not-a-date' } }));
    expect(error.extensions.invalidValues).toBeUndefined();
    // A removal repeats the stored value, which may predate the rules.
    expect(() => buildRemovableAttributes({ patient: { PatientBirthDate: '1990-01-01' } })).not.toThrow();
  });

  it('lists the first 20 value problems in the message and all of them in extensions', () => {
    const study = Object.fromEntries(['StudyDate', 'LastMenstrualDate'].map((keyword) => [keyword, 'x']));
    const many = Array.from({ length: 25 }, (_, i) => ({
      seriesInstanceUid: `${ctSeries}.${i + 1}`,
      attributes: { SeriesDate: PATIENT_VALUE },
    }));
    const error = failure(() => buildUpdatableAttributes({ study, series: many }));
    expect(error.extensions.invalidValues).toHaveLength(27);
    expect(error.message).toContain('27 invalid value(s)');
    expect(error.message).toContain('; and 7 more in extensions.invalidValues)');
    expect(error.message).not.toContain(PATIENT_VALUE);
  });
});

describe('buildRemovableAttributes', () => {
  it('writes attribute removals with their values and whole instances and series as empty objects', () => {
    const otherSeries = '1.2.840.113619.2.55.3.2';
    const built = buildRemovableAttributes({
      study: { StudyDescription: 'CT CHEST' },
      instances: [{ seriesInstanceUid: ctSeries, sopInstanceUid: ctInstance, attributes: { '00091001': 'GE' } }],
      removeInstances: [{ seriesInstanceUid: ctSeries, sopInstanceUid: `${ctInstance}.9` }],
      removeSeries: [otherSeries],
    });
    expect(built.document).toEqual({
      SchemaVersion: '1.1',
      Study: {
        DICOM: { StudyDescription: 'CT CHEST' },
        Series: {
          [ctSeries]: { Instances: { [ctInstance]: { DICOM: { '00091001': 'GE' } }, [`${ctInstance}.9`]: {} } },
          [otherSeries]: {},
        },
      },
    });
  });

  it('refuses removing an instance of a series that is removed as a whole', () => {
    const error = failure(() =>
      buildRemovableAttributes({
        removeSeries: [ctSeries],
        removeInstances: [{ seriesInstanceUid: ctSeries, sopInstanceUid: ctInstance }],
      }),
    );
    expect(error.extensions.invalidFields).toEqual([
      { path: 'removeInstances[0].seriesInstanceUid', problem: 'DUPLICATE' },
    ]);
  });

  it('checks keywords the same way as updates', () => {
    const error = failure(() => buildRemovableAttributes({ patient: { Bogus: 1 } }));
    expect(error.extensions.invalidKeywords).toEqual([
      {
        path: 'patient',
        keyword: '(key #1 of the map that is not a DICOM keyword; did you mean B1rms, Bold, BolusID?)',
        problem: 'UNKNOWN_KEYWORD',
      },
    ]);
  });
});

describe('buildCopySubset', () => {
  it('lists exactly the chosen SOP instances per series', () => {
    expect(
      buildCopySubset([{ seriesInstanceUid: ctSeries, sopInstanceUids: [ctInstance, `${ctInstance}.2`] }]),
    ).toEqual({
      SchemaVersion: '1.1',
      Study: { Series: { [ctSeries]: { Instances: { [ctInstance]: {}, [`${ctInstance}.2`]: {} } } } },
    });
  });

  it('refuses empty selections, bad UIDs and duplicates', () => {
    const error = failure(() =>
      buildCopySubset([
        { seriesInstanceUid: ctSeries, sopInstanceUids: [ctInstance, ctInstance, 'x'] },
        { seriesInstanceUid: '1.3', sopInstanceUids: [] },
      ]),
    );
    expect(error.extensions.invalidFields).toEqual([
      { path: 'series[0].sopInstanceUids[1]', problem: 'DUPLICATE' },
      { path: 'series[0].sopInstanceUids[2]', problem: 'INVALID_UID' },
      { path: 'series[1].sopInstanceUids', problem: 'EMPTY' },
    ]);
  });
});

describe('the gateway level tables', () => {
  it('exports the four elements only force may change', () => {
    expect([...FORCE_REQUIRED_KEYWORDS].sort()).toEqual(
      ['SOPInstanceUID', 'StudyID', 'StudyInstanceUID', 'SeriesInstanceUID'].sort(),
    );
  });

  it('place every keyword at a level HealthImaging Local puts it at on import', () => {
    const upper = { PATIENT: 'Patient', STUDY: 'Study', SERIES: 'Series', INSTANCE: 'Instance' } as const;
    for (const [keyword, levels] of levelTable()) {
      expect([keyword, levels.map((l) => upper[l])]).toEqual([keyword, expect.arrayContaining([levelOf(keyword)])]);
    }
  });

  it('accept every keyword at the level HealthImaging Local imports it to', () => {
    const upper = { PATIENT: 'Patient', STUDY: 'Study', SERIES: 'Series', INSTANCE: 'Instance' } as const;
    const gatewayLevels = levelTable();
    for (const [keyword, home] of levelTableKeywords()) {
      const levels = (gatewayLevels.get(keyword) ?? ['INSTANCE']).map((l) => upper[l]);
      expect([keyword, levels]).toEqual([keyword, expect.arrayContaining([home])]);
    }
  });
});
