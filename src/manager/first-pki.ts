/**
 * The certificate work of `init` (a new root CA, this node's key and its certificate), run in a
 * worker thread that exits when done. @peculiar/x509 with its ASN.1 schemas and tsyringe is ≈ 270
 * modules; loaded in the daemon's own isolate, that code stays resident for the daemon's life
 * (≈ 6 MB of an idle manager's memory, docs/benchmarks.md "Idle manager memory: …"), although an
 * idle manager signs nothing. A worker's isolate is freed when it ends.
 *
 * The worker is started before the daemon loads its own modules (`startFirstPki`, from
 * bin/daemon-plan.ts), so thread start, library load, the CA's key and certificate and the
 * node's key and CSR run on the other core meanwhile; only the node's certificate waits for its
 * identity (`finish`). In the daemon bundle the worker runs its own bundle,
 * dist/bin/shoal-pki-worker.cjs, through a V8 code cache (bin/pki-worker-launch.ts): loading the
 * library file by file was most of the worker's time (docs/design/startup.md).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
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

/** What can be made before the node has an identity: the root CA and the node's key and CSR. */
interface Prepared {
  readonly ca: RootCA;
  readonly keyPem: string;
  readonly csrPem: string;
}

/** The first PKI being made; `finish` gives the node's identity and resolves with all of it. */
export interface FirstPkiJob {
  finish(req: FirstPkiRequest): Promise<FirstPki>;
  /** Stops the work (the bootstrap failed before it needed it). */
  cancel(): void;
}

/** The worker's answer. */
type Reply = { readonly ok: FirstPki } | { readonly error: string };

async function prepare(): Promise<Prepared> {
  const ca = await createRootCA();
  const own = await createKeyAndCsr();
  return { ca, keyPem: own.keyPem, csrPem: own.csrPem };
}

async function complete(p: Prepared, req: FirstPkiRequest): Promise<FirstPki> {
  const certPem = await issueCertificate(p.ca, { csrPem: p.csrPem, commonName: req.nodeId, role: 'manager', clusterId: req.clusterId, validityMs: req.validityMs });
  return { ca: p.ca, keyPem: p.keyPem, certPem };
}

/** The same work in this thread (no worker file to run). */
export function firstPkiHere(): FirstPkiJob {
  const prepared = prepare();
  prepared.catch(() => undefined); // reported by finish; a cancelled job's failure is nobody's
  return { finish: async (req) => complete(await prepared, req), cancel: () => undefined };
}

/**
 * The worker's side (src/manager/first-pki-worker.ts, and the bundle's entry): prepares at once,
 * answers the one request that comes on `port`, then lets the thread end. Resolves when answered.
 */
export function serveFirstPki(port: MessagePort): Promise<void> {
  const prepared = prepare();
  prepared.catch(() => undefined); // reported with the answer
  return new Promise((resolve) => {
    port.once('message', (req: FirstPkiRequest) => {
      const reply = (r: Reply): void => {
        port.postMessage(r);
        port.close();
        resolve();
      };
      prepared.then((p) => complete(p, req)).then(
        (ok) => reply({ ok }),
        (e: unknown) => reply({ error: e instanceof Error ? e.message : String(e) }),
      );
    });
  });
}

/**
 * The worker's script: the bundled worker beside the daemon bundle when this module runs inside a
 * bundle of scripts/bundle-cli.mjs (its banner defines `__shoalModuleUrl`; both bundles come from
 * the same build), else the unbundled first-pki-worker.js beside this module; null when neither
 * file is there (a package that did not carry it).
 */
function workerScript(): URL | null {
  const bundled = typeof __shoalModuleUrl === 'function';
  const script = bundled ? new URL('../../bin/shoal-pki-worker-launch.cjs', import.meta.url) : new URL('./first-pki-worker.js', import.meta.url);
  return script.protocol === 'file:' && existsSync(fileURLToPath(script)) ? script : null;
}
declare const __shoalModuleUrl: unknown;

/**
 * Starts the work in a worker thread at once; in this thread when no worker file is found, so
 * init never depends on how the daemon was packaged.
 */
export function startFirstPki(): FirstPkiJob {
  const script = workerScript();
  if (script === null) return firstPkiHere();
  const worker = new Worker(script);
  const answer = new Promise<FirstPki>((resolve, reject) => {
    let reply: Reply | null = null;
    worker.once('message', (m: Reply) => (reply = m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (reply === null) reject(new Error(`the certificate worker exited (code ${code}) without a result`));
      else if ('ok' in reply) resolve(reply.ok);
      else reject(new Error(`making the cluster's certificates failed: ${reply.error}`));
    });
  });
  answer.catch(() => undefined); // reported by finish
  return {
    finish: (req) => {
      worker.postMessage(req);
      return answer;
    },
    cancel: () => void worker.terminate(),
  };
}
