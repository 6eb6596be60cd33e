import { carriesMultipleValues, valueFitsVr } from '../../../healthimaging-local/model/rules-vr';

describe('valueFitsVr', () => {
  it('accepts null for every VR: an empty element', () => {
    for (const vr of ['DA', 'US', 'SQ', 'PN', 'OB']) expect(valueFitsVr(null, vr)).toBe(true);
  });

  it('checks dates, times and UIDs against their PS3.5 formats', () => {
    expect(valueFitsVr('20240115', 'DA')).toBe(true);
    expect(valueFitsVr('2024-01-15', 'DA')).toBe(false);
    expect(valueFitsVr('083000.123456', 'TM')).toBe(true);
    expect(valueFitsVr('08:30', 'TM')).toBe(false);
    expect(valueFitsVr('1.2.840.10008.1.2', 'UI')).toBe(true);
    expect(valueFitsVr('1.2.03', 'UI')).toBe(false);
    expect(valueFitsVr('045Y', 'AS')).toBe(true);
    expect(valueFitsVr('45 years', 'AS')).toBe(false);
  });

  it('enforces maximum lengths, ignoring trailing padding', () => {
    expect(valueFitsVr('ABCDEFGHIJKLMNOP ', 'SH')).toBe(true);
    expect(valueFitsVr('ABCDEFGHIJKLMNOPQ', 'SH')).toBe(false);
    expect(valueFitsVr('x'.repeat(64), 'LO')).toBe(true);
    expect(valueFitsVr('x'.repeat(65), 'LO')).toBe(false);
  });

  it('restricts code strings to upper-case letters, digits, space and underscore', () => {
    expect(valueFitsVr('ORIGINAL_1', 'CS')).toBe(true);
    expect(valueFitsVr('original', 'CS')).toBe(false);
  });

  it('takes decimal and integer strings the way import stores them, and numbers', () => {
    expect(valueFitsVr('1 ', 'DS')).toBe(true);
    expect(valueFitsVr('-1024.5', 'DS')).toBe(true);
    expect(valueFitsVr(2.5, 'DS')).toBe(true);
    expect(valueFitsVr('1,5', 'DS')).toBe(false);
    expect(valueFitsVr(' 12 ', 'IS')).toBe(true);
    expect(valueFitsVr(1.5, 'IS')).toBe(false);
  });

  it('checks binary numbers against their ranges', () => {
    expect(valueFitsVr(65535, 'US')).toBe(true);
    expect(valueFitsVr(65536, 'US')).toBe(false);
    expect(valueFitsVr(-1, 'US')).toBe(false);
    expect(valueFitsVr('64', 'US')).toBe(false);
    expect(valueFitsVr(-32768, 'SS')).toBe(true);
    expect(valueFitsVr(0.5, 'FD')).toBe(true);
    expect(valueFitsVr(-5, 'xs')).toBe(true);
  });

  it('wants base64 for bulk binary VRs and arrays of objects for sequences', () => {
    expect(valueFitsVr('AAE=', 'OB')).toBe(true);
    expect(valueFitsVr('AAE', 'OB')).toBe(false);
    expect(valueFitsVr([{ CodeValue: 'X' }], 'SQ')).toBe(true);
    expect(valueFitsVr(['X'], 'SQ')).toBe(false);
  });

  it('accepts person names as text or in DICOM JSON form', () => {
    expect(valueFitsVr('DOE^JANE', 'PN')).toBe(true);
    expect(valueFitsVr({ Alphabetic: 'DOE^JANE' }, 'PN')).toBe(true);
    expect(valueFitsVr({ Nickname: 'J' }, 'PN')).toBe(false);
  });

  it('checks each value of a multi-valued element', () => {
    expect(valueFitsVr(['ORIGINAL', 'PRIMARY'], 'CS')).toBe(true);
    expect(valueFitsVr('ORIGINAL\\primary', 'CS')).toBe(false);
  });
});

describe('carriesMultipleValues', () => {
  it('counts arrays and backslash-separated text as several values, except in single-value text VRs', () => {
    expect(carriesMultipleValues(['A', 'B'], 'CS')).toBe(true);
    expect(carriesMultipleValues('A\\B', 'LO')).toBe(true);
    expect(carriesMultipleValues('A\\B', 'LT')).toBe(false);
    expect(carriesMultipleValues('A', 'LO')).toBe(false);
    expect(carriesMultipleValues([{}, {}], 'SQ')).toBe(false);
  });
});
