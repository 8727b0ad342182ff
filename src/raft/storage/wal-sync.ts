import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from './durable-file.js';

/**
 * Makes a SQLite WAL durable off the main thread.
 *
 * With `synchronous=NORMAL` in WAL mode, SQLite commits by appending frames to `<db>-wal`
 * without an fsync; it still syncs the WAL before every checkpoint copies it into the main file
 * and syncs the main file after (sqlite.org/pragma.html#pragma_synchronous, wal.html). So a
 * commit is durable once `<db>-wal` is synced after it: this class does that sync with
 * fs.fdatasync on libuv's thread pool, so the JS thread keeps working while the disk flushes.
 *
 * fdatasync acts on the inode, not on our descriptor, so it flushes the frames SQLite wrote through
 * its own descriptor. If the WAL file was replaced (deleted when the last connection closed,
 * recreated on the next open), the inode differs: we re-open it and fsync the directory once, since
 * with NORMAL nothing else makes the new file's directory entry durable.
 */
export class WalSyncer {
  private fd = -1;
  private ino = -1;
  private inFlight = 0;
  private closed = false;

  constructor(private readonly walFile: string) {}

  /** Syncs the WAL as it is now; `done` runs on a later turn, with the error if the sync failed. */
  sync(done: (error: Error | null) => void): void {
    if (this.closed) {
      setImmediate(() => done(new Error(`${this.walFile}: sync after close`)));
      return;
    }
    let fd: number;
    try {
      fd = this.current();
    } catch (error) {
      setImmediate(() => done(error as Error));
      return;
    }
    this.inFlight++;
    fs.fdatasync(fd, (error) => {
      this.inFlight--;
      if (this.closed && this.inFlight === 0) this.closeFd();
      done(error);
    });
  }

  /** The same sync, blocking (for the rare writes that must be durable before the method returns). */
  syncNow(): void {
    fs.fdatasyncSync(this.current());
  }

  /** Closes our descriptor, after any sync still in flight (closing it under a running fdatasync could hit a reused fd). */
  close(): void {
    this.closed = true;
    if (this.inFlight === 0) this.closeFd();
  }

  /** Our descriptor of the WAL file that is at `walFile` now (re-opened if the file was recreated). */
  private current(): number {
    const ino = fs.statSync(this.walFile).ino;
    if (this.fd >= 0 && ino === this.ino) return this.fd;
    // A new WAL file: its directory entry must be durable before a commit in it counts as durable.
    // An old descriptor with a sync still in flight is left open (a leak of one fd) rather than
    // closed under it; that needs the WAL recreated while the database is open, which Shoal never does.
    if (this.fd >= 0 && this.inFlight === 0) fs.closeSync(this.fd);
    this.fd = fs.openSync(this.walFile, 'r');
    this.ino = fs.fstatSync(this.fd).ino;
    fsyncDir(path.dirname(this.walFile));
    return this.fd;
  }

  private closeFd(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}
