/**
 * The certificate work of `init` (a new root CA, this node's key and its certificate), run in a
 * worker thread that exits when done. @peculiar/x509 with its ASN.1 schemas and tsyringe is ≈ 270
 * modules; loaded in the daemon's own isolate, that code stays resident for the daemon's life
 * (≈ 6 MB of an idle manager's memory, docs/benchmarks.md "Idle manager memory: …"), although an
 * idle manager signs nothing. A worker's isolate is freed when it ends. Costs one thread start
 * (tens of ms) once, at init.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createKeyAndCsr, createRootCA, issueCertificate, type RootCA } from '../security/pki.js';

export interface FirstPkiRequest {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly validityMs: number;
}

export interface FirstPki {
  readonly ca: RootCA;
  readonly keyPem: string;
  readonly certPem: string;
}

/** The same work in this thread (what the worker runs). */
export async function firstPki(req: FirstPkiRequest): Promise<FirstPki> {
  const ca = await createRootCA();
  const own = await createKeyAndCsr();
  const certPem = await issueCertificate(ca, { csrPem: own.csrPem, commonName: req.nodeId, role: 'manager', clusterId: req.clusterId, validityMs: req.validityMs });
  return { ca, keyPem: own.keyPem, certPem };
}

/**
 * In a worker thread; in this thread when the worker's file is not beside this module (a bundle
 * that did not carry it), so init never depends on how the daemon was packaged.
 */
export function firstPkiInWorker(req: FirstPkiRequest): Promise<FirstPki> {
  const script = new URL('./first-pki-worker.js', import.meta.url);
  if (script.protocol !== 'file:' || !existsSync(fileURLToPath(script))) return firstPki(req);
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: req });
    let result: FirstPki | null = null;
    worker.once('message', (m: FirstPki) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`the certificate worker exited (code ${code}) without a result`))));
  });
}
