import type { FileHandle } from 'node:fs/promises';

/** Bytes read from disk in one step: the unit that bounds what a streamed import holds and blocks on. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Random access to one open file through a fixed window of READ_CHUNK_BYTES: small reads that
 * fall inside the window are served from it (many item headers or small frames per disk read),
 * larger ones are read straight into the caller's buffer, a chunk at a time. Every refill is an
 * asynchronous read, so a caller walking a large file gives the event loop a turn per chunk.
 */
export class FileWindow {
  private readonly window = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  private start = 0;
  private end = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  /** Copies `length` bytes at file offset `offset` into `target` at `targetOffset`; throws past the end. */
  async readInto(target: Buffer, targetOffset: number, offset: number, length: number): Promise<void> {
    if (offset + length > this.size) throw new RangeError('read past the end of the file');
    if (length > READ_CHUNK_BYTES) {
      for (let done = 0; done < length;) {
        const n = Math.min(READ_CHUNK_BYTES, length - done);
        await this.readFully(target, targetOffset + done, n, offset + done);
        done += n;
      }
      return;
    }
    if (offset < this.start || offset + length > this.end) await this.refill(offset);
    this.window.copy(target, targetOffset, offset - this.start, offset - this.start + length);
  }

  /** A fresh copy of `length` bytes at `offset`. */
  async bytes(offset: number, length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    await this.readInto(out, 0, offset, length);
    return out;
  }

  private async refill(offset: number): Promise<void> {
    const length = Math.min(READ_CHUNK_BYTES, this.size - offset);
    await this.readFully(this.window, 0, length, offset);
    this.start = offset;
    this.end = offset + length;
  }

  private async readFully(target: Buffer, targetOffset: number, length: number, position: number): Promise<void> {
    for (let done = 0; done < length;) {
      const { bytesRead } = await this.handle.read(target, targetOffset + done, length - done, position + done);
      if (bytesRead === 0) throw new RangeError('the file ended while it was being read');
      done += bytesRead;
    }
  }
}
