import { crc32, tableCrc32 } from '../../../healthimaging-local/dicom/frame-checksum';

describe('crc32', () => {
  it('gives the standard CRC-32 check value for "123456789"', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('agrees with the table implementation on arbitrary bytes and is unsigned', () => {
    const bytes = Buffer.alloc(4099);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff;
    expect(crc32(bytes)).toBe(tableCrc32(bytes));
    expect(crc32(bytes)).toBeGreaterThanOrEqual(0);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});
