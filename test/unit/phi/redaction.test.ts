import { PhiAccess } from '../../../src/phi/phi-access';
import { visibleChanges } from '../../../src/phi/phi-changes';
import { inspect } from '../../../src/phi/redaction';

const target = { datastoreId: 'ds', imageSetId: 'is', versionId: '2' };

function instanceMap(): Record<string, unknown> {
  return {
    SOPInstanceUID: '2.25.1',
    InstanceNumber: 3,
    PatientName: 'Doe^Jane',
    '00111001': 'private text',
    ReferencedImageSequence: [{ ReferencedSOPInstanceUID: '2.25.9' }],
    ProcedureCodeSequence: [
      { CodeValue: 'X1', OperatorsName: 'Op^Erator', NestedSequence: [{ PatientID: 'P-1', CodeMeaning: 'm' }] },
    ],
  };
}

describe('redaction', () => {
  it('removes withheld attributes, at any depth of sequences, keeping the rest in order', () => {
    const { redacted, categories } = inspect(instanceMap());
    expect(redacted).toEqual({
      SOPInstanceUID: '2.25.1',
      InstanceNumber: 3,
      ProcedureCodeSequence: [{ CodeValue: 'X1', NestedSequence: [{ CodeMeaning: 'm' }] }],
    });
    expect([...categories].sort()).toEqual([
      'patient-id',
      'patient-name',
      'personnel',
      'private',
      'structured-content',
    ]);
  });

  it('returns the very map, and caches the inspection, when there is nothing to withhold', () => {
    const map = { Modality: 'CT', SeriesNumber: 1 };
    const first = inspect(map);
    expect(first.redacted).toBe(map);
    expect(first.categories).toEqual([]);
    expect(inspect(map)).toBe(first);
  });

  it('does not change the document it reads', () => {
    const map = instanceMap();
    const before = JSON.stringify(map);
    inspect(map);
    expect(JSON.stringify(map)).toBe(before);
  });
});

describe('PhiAccess', () => {
  it('without phi:read: shows the redacted map, withholds typed values, records withheld categories only', () => {
    const phi = PhiAccess.forScopes(['imagesets:read']);
    const map = instanceMap();
    expect(phi.attributes(map, target)).not.toHaveProperty('PatientName');
    expect(phi.value('patient-name', 'Doe^Jane', target)).toBeUndefined();
    expect(phi.value(undefined, 'CT', target)).toBe('CT');
    expect(phi.withheldOut()).toEqual({
      withheld: true,
      categories: ['patient-name', 'patient-id', 'personnel', 'structured-content', 'private'],
      reason: 'phi:read scope required',
    });
    expect(phi.readOut()).toEqual({ categories: [], targets: [] });
  });

  it('with phi:read: shows everything, records the categories read and their image sets', () => {
    const phi = PhiAccess.forScopes(['imagesets:read', 'phi:read']);
    const map = instanceMap();
    expect(phi.attributes(map, target)).toBe(map);
    expect(phi.value('birth-date', '19700101', target)).toBe('19700101');
    expect(phi.withheldOut()).toBeUndefined();
    expect(phi.readOut()).toEqual({
      categories: ['patient-name', 'patient-id', 'birth-date', 'personnel', 'structured-content', 'private'],
      targets: [target],
    });
  });

  it('records nothing for maps and values without PHI', () => {
    const phi = PhiAccess.forScopes(['imagesets:read']);
    phi.attributes({ Modality: 'CT' }, target);
    phi.value('patient-name', undefined, target);
    expect(phi.withheldOut()).toBeUndefined();
  });

  it('refuses with FORBIDDEN naming the scope', () => {
    expect(() => PhiAccess.forScopes([]).require('Searching by filter.patientId')).toThrow(
      expect.objectContaining({
        code: 'FORBIDDEN',
        message: 'Searching by filter.patientId needs the phi:read scope.',
      }),
    );
  });
});

describe('visibleChanges', () => {
  const changes = [
    { level: 'PATIENT' as const, keyword: 'PatientName', kind: 'CHANGED' as const, before: 'A^B', after: 'C^D' },
    { level: 'STUDY' as const, keyword: 'StudyDate', kind: 'ADDED' as const, after: '20240101' },
    {
      level: 'SERIES' as const,
      seriesInstanceUid: '2.25.5',
      keyword: 'Modality',
      kind: 'CHANGED' as const,
      before: 'CT',
      after: 'MR',
    },
    { level: 'SERIES' as const, seriesInstanceUid: '2.25.6', keyword: '', kind: 'SERIES_ADDED' as const },
    {
      level: 'INSTANCE' as const,
      seriesInstanceUid: '2.25.5',
      sopInstanceUid: '2.25.7',
      keyword: 'ProcedureCodeSequence',
      kind: 'CHANGED' as const,
      before: [{ CodeValue: 'A', PatientID: 'P-1' }],
      after: [{ CodeValue: 'B', PatientID: 'P-2' }],
    },
  ];

  it('without phi:read leaves out withheld attributes and redacts changed sequences', () => {
    const phi = PhiAccess.forScopes(['imagesets:read']);
    const visible = visibleChanges(phi, changes, target);
    expect(visible.map((change) => change.keyword)).toEqual(['Modality', '', 'ProcedureCodeSequence']);
    expect(visible[2]).toMatchObject({ before: [{ CodeValue: 'A' }], after: [{ CodeValue: 'B' }] });
    expect(JSON.stringify(visible)).not.toMatch(/P-1|P-2|A\^B|C\^D|20240101/);
    expect(phi.withheldOut()?.categories).toEqual(['patient-name', 'patient-id', 'dates-times']);
  });

  it('with phi:read shows every change and records what was read', () => {
    const phi = PhiAccess.forScopes(['phi:read']);
    expect(visibleChanges(phi, changes, target)).toEqual(changes);
    expect(phi.readOut().categories).toEqual(['patient-name', 'patient-id', 'dates-times']);
  });
});
