import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { NaturalDataset } from '../healthimaging-local/dicom/dcmjs';
import { encodeInstance } from './synthetic-instance';
import { syntheticUid } from './synthetic-uid';

/**
 * Deterministic synthetic DICOM studies: the project's own test fixtures, `npm start` demo data
 * and benchmark input. Every value is invented (fictional patients, UIDs derived from a seed
 * under 2.25), the pixels are a small gradient, and the same spec always yields the same bytes.
 */
export interface SyntheticSeriesSpec {
  modality: 'CT' | 'MR' | 'CR';
  seriesNumber: number;
  description: string;
  bodyPart?: string;
  instances: number;
  rows?: number;
  columns?: number;
  frames?: number;
}

export interface SyntheticStudySpec {
  patient: { name: string; id: string; birthDate: string; sex: 'F' | 'M' | 'O' };
  accessionNumber: string;
  studyId: string;
  studyDate: string;
  studyTime?: string;
  studyDescription: string;
  series: SyntheticSeriesSpec[];
  seed: string;
}

export interface GeneratedFile {
  relativePath: string;
  bytes: Buffer;
}

const SOP_CLASS = {
  CT: '1.2.840.10008.5.1.4.1.1.2',
  MR: '1.2.840.10008.5.1.4.1.1.4',
  CR: '1.2.840.10008.5.1.4.1.1.1',
} as const;

/** The private block every synthetic instance carries, so private-tag handling is exercised. */
export const SYNTHETIC_PRIVATE_CREATOR = 'HILOCAL_SYNTHETIC';
export const SYNTHETIC_PRIVATE_CREATOR_TAG = '00110010';
export const SYNTHETIC_PRIVATE_TAG = '00111001';

const DEFAULT_SIZE = { CT: 32, MR: 32, CR: 16 } as const;

interface PixelLayout {
  rows: number;
  columns: number;
  frames: number;
  /** Stored values run from `low` to about `low + span` (CT is signed, so `low` may be negative). */
  low: number;
  span: number;
  signed: boolean;
}

const PIXEL_RANGE = {
  CT: { low: -200, span: 2000, bitsStored: 16 },
  MR: { low: 0, span: 3000, bitsStored: 12 },
  CR: { low: 0, span: 4000, bitsStored: 12 },
} as const;

/** A diagonal gradient that differs per instance and frame. */
function gradient(layout: PixelLayout, instanceIndex: number): ArrayBuffer {
  const perFrame = layout.rows * layout.columns;
  const pixels = layout.signed ? new Int16Array(perFrame * layout.frames) : new Uint16Array(perFrame * layout.frames);
  const steps = Math.max(1, layout.rows + layout.columns - 2);
  for (let f = 0; f < layout.frames; f++) {
    const offset = (instanceIndex * 7 + f * 13) % 89;
    for (let y = 0; y < layout.rows; y++) {
      for (let x = 0; x < layout.columns; x++) {
        pixels[f * perFrame + y * layout.columns + x] =
          layout.low + offset + Math.floor(((x + y) / steps) * layout.span);
      }
    }
  }
  return pixels.buffer;
}

function modalityAttributes(series: SyntheticSeriesSpec, index: number, sliceThickness: number): NaturalDataset {
  const z = Number((index * sliceThickness - 50).toFixed(2));
  switch (series.modality) {
    case 'CT':
      return {
        ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
        KVP: 120,
        SliceThickness: sliceThickness,
        ConvolutionKernel: 'STANDARD',
        PatientPosition: 'HFS',
        ImagePositionPatient: [-80, -80, z],
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        SliceLocation: z,
        RescaleIntercept: -1024,
        RescaleSlope: 1,
        RescaleType: 'HU',
        WindowCenter: 40,
        WindowWidth: 400,
      };
    case 'MR':
      return {
        ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
        ScanningSequence: 'SE',
        SequenceVariant: 'NONE',
        MRAcquisitionType: '2D',
        SliceThickness: sliceThickness,
        RepetitionTime: 500,
        EchoTime: 15,
        MagneticFieldStrength: 1.5,
        PatientPosition: 'HFS',
        ImagePositionPatient: [-90, -90, z],
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        SliceLocation: z,
        WindowCenter: 600,
        WindowWidth: 1200,
      };
    case 'CR':
      return {
        ImageType: ['ORIGINAL', 'PRIMARY'],
        ViewPosition: index % 2 === 0 ? 'PA' : 'LL',
        WindowCenter: 2048,
        WindowWidth: 4096,
      };
  }
}

function instanceDataset(spec: SyntheticStudySpec, series: SyntheticSeriesSpec, index: number): NaturalDataset {
  const rows = series.rows ?? DEFAULT_SIZE[series.modality];
  const columns = series.columns ?? DEFAULT_SIZE[series.modality];
  const frames = Math.max(1, series.frames ?? 1);
  const signed = series.modality === 'CT';
  const range = PIXEL_RANGE[series.modality];
  const bitsStored = range.bitsStored;
  const sliceThickness = series.modality === 'MR' ? 5 : 2.5;
  const studyTime = spec.studyTime ?? '090000';
  const seriesTime = `${studyTime.slice(0, 2)}${String((10 + series.seriesNumber) % 60).padStart(2, '0')}00`;
  const dataset: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: SOP_CLASS[series.modality],
    SOPInstanceUID: syntheticUid(spec.seed, 'series', series.seriesNumber, 'instance', index + 1),
    StudyDate: spec.studyDate,
    SeriesDate: spec.studyDate,
    ContentDate: spec.studyDate,
    StudyTime: studyTime,
    SeriesTime: seriesTime,
    ContentTime: seriesTime,
    AccessionNumber: spec.accessionNumber,
    Modality: series.modality,
    Manufacturer: 'HealthImaging Local',
    InstitutionName: 'Synthetic Data General Hospital',
    ReferringPhysicianName: 'Synthetic^Referrer',
    StationName: 'SYNTH01',
    StudyDescription: spec.studyDescription,
    SeriesDescription: series.description,
    ManufacturerModelName: 'Synthetic Study Generator',
    PatientName: spec.patient.name,
    PatientID: spec.patient.id,
    PatientBirthDate: spec.patient.birthDate,
    PatientSex: spec.patient.sex,
    ...(series.bodyPart ? { BodyPartExamined: series.bodyPart } : {}),
    DeviceSerialNumber: 'SYNTH-0001',
    SoftwareVersions: 'hil-synthetic-1',
    ...modalityAttributes(series, index, sliceThickness),
    StudyInstanceUID: syntheticUid(spec.seed, 'study'),
    SeriesInstanceUID: syntheticUid(spec.seed, 'series', series.seriesNumber),
    StudyID: spec.studyId,
    SeriesNumber: series.seriesNumber,
    InstanceNumber: index + 1,
    ...(series.modality === 'CR'
      ? { PatientOrientation: ['L', 'F'] }
      : {
          FrameOfReferenceUID: syntheticUid(spec.seed, 'frame-of-reference', series.seriesNumber),
          PositionReferenceIndicator: '',
        }),
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    ...(frames > 1 ? { NumberOfFrames: frames } : {}),
    Rows: rows,
    Columns: columns,
    PixelSpacing: [0.5, 0.5],
    BitsAllocated: 16,
    BitsStored: bitsStored,
    HighBit: bitsStored - 1,
    PixelRepresentation: signed ? 1 : 0,
    PixelData: [gradient({ rows, columns, frames, low: range.low, span: range.span, signed }, index)],
    _vrMap: { PixelData: 'OW' },
  };
  return dataset;
}

/** Every file of a study as P10 bytes, with a stable relative path (`<study>/<series>/<n>.dcm`). */
export function generateStudy(spec: SyntheticStudySpec): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const series of spec.series) {
    for (let i = 0; i < series.instances; i++) {
      const bytes = encodeInstance(instanceDataset(spec, series, i), [
        { tag: SYNTHETIC_PRIVATE_CREATOR_TAG, vr: 'LO', value: SYNTHETIC_PRIVATE_CREATOR },
        { tag: SYNTHETIC_PRIVATE_TAG, vr: 'LO', value: `synthetic ${series.modality} ${i + 1}` },
      ]);
      const relativePath = [
        `study-${spec.studyId}`,
        `series-${String(series.seriesNumber).padStart(3, '0')}-${series.modality}`,
        `${String(i + 1).padStart(5, '0')}.dcm`,
      ].join('/');
      files.push({ relativePath, bytes });
    }
  }
  return files;
}

/** Writes a study under `dir` and returns the absolute paths written. */
export async function writeStudy(dir: string, spec: SyntheticStudySpec): Promise<string[]> {
  const written: string[] = [];
  for (const file of generateStudy(spec)) {
    const target = path.resolve(dir, ...file.relativePath.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.bytes);
    written.push(target);
  }
  return written;
}

/** Two CT series of three instances each: the standard small fixture. */
export const smallCtStudy: SyntheticStudySpec = {
  patient: { name: 'Fixture^Carla', id: 'FIX-CT-001', birthDate: '19700101', sex: 'F' },
  accessionNumber: 'FIXCT0001',
  studyId: 'FIXCT1',
  studyDate: '20240102',
  studyTime: '101500',
  studyDescription: 'CT CHEST FIXTURE',
  series: [
    { modality: 'CT', seriesNumber: 1, description: 'Axial 2.5mm', bodyPart: 'CHEST', instances: 3 },
    { modality: 'CT', seriesNumber: 2, description: 'Axial lung', bodyPart: 'CHEST', instances: 3 },
  ],
  seed: 'fixture-small-ct',
};

/** Two MR series of three instances each, one of them multi-frame. */
export const smallMrStudy: SyntheticStudySpec = {
  patient: { name: 'Fixture^Marek', id: 'FIX-MR-001', birthDate: '19820315', sex: 'M' },
  accessionNumber: 'FIXMR0001',
  studyId: 'FIXMR1',
  studyDate: '20240103',
  studyTime: '143000',
  studyDescription: 'MR BRAIN FIXTURE',
  series: [
    { modality: 'MR', seriesNumber: 1, description: 'T1 axial', bodyPart: 'HEAD', instances: 3 },
    {
      modality: 'MR',
      seriesNumber: 2,
      description: 'T2 multi-frame',
      bodyPart: 'HEAD',
      instances: 3,
      rows: 16,
      columns: 16,
      frames: 2,
    },
  ],
  seed: 'fixture-small-mr',
};

/** One CT series of `instances` small slices, for import and read benchmarks. */
export function largeStudySpec(instances = 2000): SyntheticStudySpec {
  return {
    patient: { name: 'Bench^Volume', id: 'BENCH-0001', birthDate: '19600606', sex: 'O' },
    accessionNumber: 'BENCH0001',
    studyId: 'BENCH1',
    studyDate: '20240201',
    studyTime: '080000',
    studyDescription: 'CT BENCHMARK VOLUME',
    series: [
      {
        modality: 'CT',
        seriesNumber: 1,
        description: 'Thin axial',
        bodyPart: 'ABDOMEN',
        instances,
        rows: 16,
        columns: 16,
      },
    ],
    seed: `bench-large-${instances}`,
  };
}

/** The demo data of `npm start`: fictional patients per tenant, CT, MR and CR studies. */
export const DEMO_TENANT_STUDIES: Record<'acme' | 'globex', SyntheticStudySpec[]> = {
  acme: [
    {
      patient: { name: 'Lovelace^Ada^^Ms', id: 'ACME-1001', birthDate: '19650412', sex: 'F' },
      accessionNumber: 'ACME24001',
      studyId: 'A24001',
      studyDate: '20240311',
      studyTime: '091200',
      studyDescription: 'CT CHEST WITH CONTRAST',
      series: [
        { modality: 'CT', seriesNumber: 1, description: 'Scout', bodyPart: 'CHEST', instances: 2 },
        { modality: 'CT', seriesNumber: 2, description: 'Axial 2.5mm soft tissue', bodyPart: 'CHEST', instances: 40 },
        { modality: 'CT', seriesNumber: 3, description: 'Axial 2.5mm lung', bodyPart: 'CHEST', instances: 40 },
      ],
      seed: 'demo-acme-ct-chest',
    },
    {
      patient: { name: 'Lovelace^Ada^^Ms', id: 'ACME-1001', birthDate: '19650412', sex: 'F' },
      accessionNumber: 'ACME24017',
      studyId: 'A24017',
      studyDate: '20240502',
      studyTime: '140500',
      studyDescription: 'MR BRAIN WITHOUT CONTRAST',
      series: [
        { modality: 'MR', seriesNumber: 1, description: 'T1 axial', bodyPart: 'HEAD', instances: 24 },
        { modality: 'MR', seriesNumber: 2, description: 'T2 axial', bodyPart: 'HEAD', instances: 24 },
        {
          modality: 'MR',
          seriesNumber: 3,
          description: 'FLAIR multi-frame',
          bodyPart: 'HEAD',
          instances: 4,
          frames: 6,
        },
      ],
      seed: 'demo-acme-mr-brain',
    },
    {
      patient: { name: 'Babbage^Charles', id: 'ACME-1002', birthDate: '19580726', sex: 'M' },
      accessionNumber: 'ACME24033',
      studyId: 'A24033',
      studyDate: '20240619',
      studyTime: '075500',
      studyDescription: 'CT ABDOMEN PELVIS',
      series: [
        { modality: 'CT', seriesNumber: 1, description: 'Axial 5mm', bodyPart: 'ABDOMEN', instances: 36 },
        { modality: 'CT', seriesNumber: 2, description: 'Coronal reformat', bodyPart: 'ABDOMEN', instances: 24 },
      ],
      seed: 'demo-acme-ct-abdomen',
    },
    {
      patient: { name: 'Hopper^Grace', id: 'ACME-1003', birthDate: '19900909', sex: 'F' },
      accessionNumber: 'ACME24040',
      studyId: 'A24040',
      studyDate: '20240701',
      studyTime: '110000',
      studyDescription: 'XR CHEST 2 VIEWS',
      series: [{ modality: 'CR', seriesNumber: 1, description: 'PA and lateral', bodyPart: 'CHEST', instances: 2 }],
      seed: 'demo-acme-cr-chest',
    },
  ],
  globex: [
    {
      patient: { name: 'Turing^Alan', id: 'GLX-0042', birthDate: '19710623', sex: 'M' },
      accessionNumber: 'GLX-77001',
      studyId: 'G77001',
      studyDate: '20240215',
      studyTime: '162000',
      studyDescription: 'MR KNEE RIGHT',
      series: [
        { modality: 'MR', seriesNumber: 1, description: 'PD sagittal', bodyPart: 'KNEE', instances: 20 },
        { modality: 'MR', seriesNumber: 2, description: 'T2 fat sat coronal', bodyPart: 'KNEE', instances: 20 },
      ],
      seed: 'demo-globex-mr-knee',
    },
    {
      patient: { name: 'Noether^Emmy', id: 'GLX-0077', birthDate: '19830323', sex: 'F' },
      accessionNumber: 'GLX-77019',
      studyId: 'G77019',
      studyDate: '20240408',
      studyTime: '083000',
      studyDescription: 'CT HEAD WITHOUT CONTRAST',
      series: [
        { modality: 'CT', seriesNumber: 1, description: 'Axial brain', bodyPart: 'HEAD', instances: 30 },
        { modality: 'CT', seriesNumber: 2, description: 'Axial bone', bodyPart: 'HEAD', instances: 30 },
      ],
      seed: 'demo-globex-ct-head',
    },
  ],
};
