/**
 * The backup file written by `shoal backup` and read by
 * `shoal init --force-new-cluster --from-backup`:
 *
 *   SHOAL-BACKUP 1\n
 *   {"clusterId":…,"index":…,"term":…,"bytes":…,"sha256":…,…}\n
 *   <bytes of a state.db image>
 *
 * The header names what the image reflects (cluster, Raft index and term,
 * membership) and how to check it (size and SHA-256). Reading checks
 * everything — magic, header, size (truncation), checksum (corruption), then
 * the image itself as SQLite (quick_check, kind, applied index) — before a
 * caller writes anything, and every refusal names the file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ShoalError } from '../../errors.js';
import type { ConfState } from '../../raft/core/types.js';
import { decodeConf, encodeConf } from '../../raft/storage/conf-codec.js';
import { fsyncDir, writeFileSynced } from '../../raft/storage/durable-file.js';
import { checkOpened, describe } from '../../raft/storage/sqlite-file.js';
import { STATE_STAMP } from '../../raft/storage/sqlite-state.js';
import { renameSync } from 'node:fs';

const MAGIC = 'SHOAL-BACKUP 1\n';
/** A header is a few hundred bytes; anything longer is not one of ours. */
const HEADER_BYTES_MAX = 64 * 1024;

export interface BackupHeader {
  readonly clusterId: string;
  readonly index: number;
  readonly term: number;
  readonly conf: ConfState;
  readonly schemaVersion: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly nodeId: string;
  readonly hostname: string;
  /** When the backup was written (ms since the epoch), for the operator. */
  readonly createdUnixMs: number;
}

export interface Backup {
  readonly header: BackupHeader;
  /** The state.db image, header bytes 18–19 set to 1 so it opens from memory. */
  readonly image: Buffer;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Writes the backup atomically (temp file, fsync, rename, fsync dir): FILE is complete or absent. */
export function writeBackupFile(file: string, header: BackupHeader, image: Uint8Array): void {
  if (image.byteLength !== header.bytes || sha256Hex(image) !== header.sha256) {
    throw new ShoalError('INTERNAL', `the backup data does not match its header (${image.byteLength} bytes, expected ${header.bytes}); nothing was written to ${file}`);
  }
  const head = Buffer.from(MAGIC + JSON.stringify({ ...header, conf: JSON.parse(encodeConf(header.conf)) as unknown }) + '\n', 'utf8');
  const tmp = `${file}.tmp`;
  writeFileSynced(tmp, Buffer.concat([head, image]));
  renameSync(tmp, file);
  fsyncDir(dirname(file));
}

/** Reads and checks a backup file completely. Throws ShoalError (INVALID_ARGUMENT / NOT_FOUND) naming the file. */
export function readBackupFile(file: string): Backup {
  const refuse = (code: 'INVALID_ARGUMENT', why: string): ShoalError =>
    new ShoalError(code, `backup file ${file} ${why}; nothing was written`);
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ShoalError(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_ARGUMENT', `backup file ${file} cannot be read (${describe(e)})`);
  }
  if (raw.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) {
    throw refuse('INVALID_ARGUMENT', `is not a Shoal backup (it does not start with "${MAGIC.trim()}")`);
  }
  const newline = raw.indexOf(0x0a, MAGIC.length);
  if (newline < 0 || newline - MAGIC.length > HEADER_BYTES_MAX) throw refuse('INVALID_ARGUMENT', 'is truncated or damaged (no complete header)');
  const header = parseHeader(raw.subarray(MAGIC.length, newline).toString('utf8'));
  if (typeof header === 'string') throw refuse('INVALID_ARGUMENT', `has a damaged header (${header})`);
  const image = Buffer.from(raw.subarray(newline + 1));
  if (image.byteLength < header.bytes) throw refuse('INVALID_ARGUMENT', `is truncated (${image.byteLength} of ${header.bytes} bytes of state)`);
  if (image.byteLength > header.bytes) throw refuse('INVALID_ARGUMENT', `has ${image.byteLength - header.bytes} unexpected bytes after the state`);
  if (sha256Hex(image) !== header.sha256) throw refuse('INVALID_ARGUMENT', 'is corrupt (its SHA-256 does not match the header)');
  const imageProblem = checkImage(image, header, basename(file));
  if (imageProblem !== null) throw refuse('INVALID_ARGUMENT', `holds an unusable state image (${imageProblem})`);
  image[18] = 1;
  image[19] = 1;
  return { header, image };
}

function parseHeader(text: string): BackupHeader | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof v !== 'object' || v === null) return 'not an object';
  const h = v as Record<string, unknown>;
  const int = (k: string): boolean => Number.isSafeInteger(h[k]) && (h[k] as number) >= 0;
  for (const k of ['index', 'term', 'bytes', 'schemaVersion', 'createdUnixMs']) if (!int(k)) return `${k} is missing or not a whole number`;
  for (const k of ['clusterId', 'sha256', 'nodeId', 'hostname']) if (typeof h[k] !== 'string') return `${k} is missing`;
  const conf = decodeConf(JSON.stringify(h['conf']));
  if (typeof conf === 'string') return `conf ${conf}`;
  return {
    clusterId: h['clusterId'] as string,
    index: h['index'] as number,
    term: h['term'] as number,
    conf,
    schemaVersion: h['schemaVersion'] as number,
    bytes: h['bytes'] as number,
    sha256: h['sha256'] as string,
    nodeId: h['nodeId'] as string,
    hostname: h['hostname'] as string,
    createdUnixMs: h['createdUnixMs'] as number,
  };
}

/** Opens the image in memory: a Shoal state db whose applied index, term, membership and cluster match the header. */
function checkImage(image: Buffer, header: BackupHeader, name: string): string | null {
  if (image.byteLength < 100) return `${image.byteLength} bytes is too short for a database`;
  const copy = Buffer.from(image);
  copy[18] = 1;
  copy[19] = 1;
  let db: Database.Database | undefined;
  try {
    db = new Database(copy);
    checkOpened(db, name, STATE_STAMP);
    const applied = db.prepare('SELECT idx, term, conf FROM raft_applied WHERE id = 1').get() as { idx: number; term: number; conf: string } | undefined;
    if (!applied) return 'no applied index';
    if (applied.idx !== header.index || applied.term !== header.term) return `it reflects index ${applied.idx} term ${applied.term}, the header says ${header.index} / ${header.term}`;
    if (applied.conf !== encodeConf(header.conf)) return 'its membership differs from the header';
    const cluster = db.prepare('SELECT id FROM cluster WHERE singleton = 1').get() as { id: string } | undefined;
    if (cluster?.id !== header.clusterId) return 'it holds no cluster, or another cluster than the header names';
    return null;
  } catch (e) {
    return describe(e);
  } finally {
    db?.close();
  }
}
