import { dicomInt, dicomString } from '../../../src/types/dicom-values.mapper';
import {
  frameViews,
  orderedInstanceUids,
  orderedSeriesUids,
  type InstanceEntry,
  type SeriesEntry,
} from '../../../src/types/metadata-document.view';
import type { MetadataDocument } from '../../../src/imaging/records';

describe('dicomString', () => {
  it.each([
    ['CT CHEST  ', 'CT CHEST'],
    ['UID\0', 'UID'],
    ['   ', null],
    [null, null],
    [undefined, null],
    [42, '42'],
    [['ORIGINAL', 'PRIMARY ', 'AXIAL'], 'ORIGINAL\\PRIMARY\\AXIAL'],
    [[], null],
    [{ Alphabetic: 'Doe^Jane' }, 'Doe^Jane'],
    [{ Value: 1 }, null],
  ])('reads %j as %j', (value, expected) => {
    expect(dicomString(value)).toBe(expected);
  });
});

describe('dicomInt', () => {
  it.each([
    ['12', 12],
    [' -3 ', -3],
    [640, 640],
    [['7', '8'], 7],
    ['1.5', null],
    [1.5, null],
    ['abc', null],
    ['99999999999', null],
    [null, null],
  ])('reads %j as %j', (value, expected) => {
    expect(dicomInt(value)).toBe(expected);
  });
});

describe('metadata document views', () => {
  const instance = (number: unknown, frames?: InstanceEntry['ImageFrames']): InstanceEntry => ({
    DICOM: { InstanceNumber: number, Rows: 10, Columns: 20 },
    ...(frames ? { ImageFrames: frames } : {}),
  });

  it('orders instances by Instance Number, missing numbers last, then by UID', () => {
    const series: SeriesEntry = {
      DICOM: {},
      Instances: {
        '1.9': instance('10'),
        '1.3': instance(null),
        '1.2': instance('2'),
        '1.1': instance('2'),
        '1.4': instance(1),
      },
    };
    expect(orderedInstanceUids(series)).toEqual(['1.4', '1.1', '1.2', '1.9', '1.3']);
  });

  it('orders series by Series Number', () => {
    const document = {
      Study: {
        DICOM: {},
        Series: {
          '2.1': { DICOM: { SeriesNumber: '3' }, Instances: {} },
          '2.2': { DICOM: { SeriesNumber: 1 }, Instances: {} },
        },
      },
    } as unknown as MetadataDocument;
    expect(orderedSeriesUids(document)).toEqual(['2.2', '2.1']);
  });

  it('sizes frames from the widest checksum level, falling back to Columns and Rows', () => {
    const frames = frameViews(
      instance(1, [
        {
          ID: 'f1',
          PixelDataChecksumFromBaseToFullResolution: [
            { Width: 32, Height: 16, Checksum: 1 },
            { Width: 256, Height: 128, Checksum: 2 },
          ],
          FrameSizeInBytes: 65536,
        },
        { ID: 'f2' },
      ]),
    );
    expect(frames).toEqual([
      { id: 'f1', width: 256, height: 128, sizeInBytes: 65536 },
      { id: 'f2', width: 20, height: 10, sizeInBytes: null },
    ]);
  });

  it('lists no frames for an instance without pixel data', () => {
    expect(frameViews(instance(1))).toEqual([]);
  });
});
