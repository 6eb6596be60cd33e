import { ImportWrites } from '../../../healthimaging-local/model/import-writes';
import { frameIdsOf } from '../../../healthimaging-local/shapes/metadata-document';
import { HilStore } from '../../../healthimaging-local/store/hil-store';
import { present } from '../../support/present';
import { CT_IMAGE_SET_ID, DATASTORE_ID, MR_IMAGE_SET_ID, ctSeriesDoc } from './fixtures/metadata-documents';

const frame = (id: string) => ({ id, bytes: Buffer.from(id), contentType: 'application/octet-stream' });
const PENDING_IMPORT_FRAME = 'f'.repeat(32);

describe('frames of imported and deleted image sets', () => {
  let store: HilStore;
  let writes: ImportWrites;
  beforeEach(() => {
    store = HilStore.open({ inMemory: true });
    writes = new ImportWrites({ store, now: Date.now });
  });
  afterEach(() => store.close());

  const hasFrame = (imageSetId: string, frameId: string) =>
    store.imageSets.getFrame(DATASTORE_ID, imageSetId, frameId) !== undefined;
  const stored = () => (store.db.prepare('SELECT COUNT(*) AS n FROM frames').get() as { n: number }).n;

  it('deletes only the frames of a deleted image set, not those an import has stored but not yet committed', () => {
    const ctFrames = frameIdsOf(ctSeriesDoc);
    writes.putFrames(DATASTORE_ID, [...ctFrames.map(frame), frame(PENDING_IMPORT_FRAME)]);
    writes.createImageSet(DATASTORE_ID, CT_IMAGE_SET_ID, { ...ctSeriesDoc, ImageSetID: CT_IMAGE_SET_ID }, true);

    store.imageSets.dropFrameRefs(DATASTORE_ID, CT_IMAGE_SET_ID);
    expect(stored()).toBe(1);
    expect(store.db.prepare('SELECT id FROM frames').get()).toEqual({ id: PENDING_IMPORT_FRAME });
  });

  it('keeps a frame another image set still references (a copy shares its source frames)', () => {
    const ctFrames = frameIdsOf(ctSeriesDoc);
    writes.putFrames(DATASTORE_ID, ctFrames.map(frame));
    writes.createImageSet(DATASTORE_ID, CT_IMAGE_SET_ID, { ...ctSeriesDoc, ImageSetID: CT_IMAGE_SET_ID }, true);
    writes.createImageSet(DATASTORE_ID, MR_IMAGE_SET_ID, { ...ctSeriesDoc, ImageSetID: MR_IMAGE_SET_ID }, false);

    store.imageSets.dropFrameRefs(DATASTORE_ID, CT_IMAGE_SET_ID);
    expect(stored()).toBe(ctFrames.length);
    const shared = present(ctFrames[0], 'a CT frame');
    expect(hasFrame(MR_IMAGE_SET_ID, shared)).toBe(true);
    expect(hasFrame(CT_IMAGE_SET_ID, shared)).toBe(false);
  });

  it('discards only the unreferenced ones of the frames it is given', () => {
    const ctFrames = frameIdsOf(ctSeriesDoc);
    writes.putFrames(DATASTORE_ID, [...ctFrames.map(frame), frame(PENDING_IMPORT_FRAME)]);
    writes.createImageSet(DATASTORE_ID, CT_IMAGE_SET_ID, { ...ctSeriesDoc, ImageSetID: CT_IMAGE_SET_ID }, true);
    writes.discardFrames(DATASTORE_ID, [...ctFrames, PENDING_IMPORT_FRAME]);
    expect(stored()).toBe(ctFrames.length);
  });
});
