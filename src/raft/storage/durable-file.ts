import fs from 'node:fs';
import path from 'node:path';

/** Writes are issued in chunks of at most this size so one call never holds a huge buffer slice. */
const writeChunkBytesMax = 1 << 20;

/** Writes `data` to `file` (replacing it) and fsyncs the file. Does not fsync the directory. */
export function writeFileSynced(file: string, data: Uint8Array): void {
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    let offset = 0;
    while (offset < data.byteLength) {
      const length = Math.min(writeChunkBytesMax, data.byteLength - offset);
      const written = fs.writeSync(fd, data, offset, length);
      if (written <= 0) throw new Error(`short write to ${file}`);
      offset += written;
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes renames, creations and removals in `dir` durable. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Atomically replaces `file` with `data`: after a crash at any moment the file
 * holds either its previous content (or is absent) or all of `data`.
 */
export function writeFileAtomic(file: string, data: Uint8Array): void {
  const tmp = `${file}.tmp`;
  writeFileSynced(tmp, data);
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export function removeIfExists(file: string): void {
  fs.rmSync(file, { force: true });
}
