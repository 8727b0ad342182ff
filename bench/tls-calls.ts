// What mutual TLS costs per gRPC call, without a cluster around it: a grpc-js server in its own
// process (the managers' own server credentials and authorization interceptor, or plaintext) and
// N client channels here, each sending small unary calls one after another (a request and answer
// of about the size of bench:raft's UpdateNode). Prints calls/s and the CPU (user+sys) per call of
// the server process and of this client process, for each mode in turn, several rounds
// interleaved, so that a loaded machine shifts both modes alike. CPU per call is the figure to
// read on a shared machine; calls/s moves with the load.
// Usage: node dist/bench/tls-calls.js [--seconds S] [--warmup S] [--clients N] [--rounds R] [--modes plain,mtls,mtls-aes128] [--cpu-prof DIR]
// Modes: plain (insecure credentials), mtls (the manager's MtlsSecurity + authorizationInterceptor),
// tls-only (the managers' mutual TLS credentials without the authorization interceptor, to split the cost),
// mtls-aes128 (the same as mtls, with TLS_AES_128_GCM_SHA256 first among the TLS 1.3 suites on both sides;
// OpenSSL's default puts AES-256-GCM first, and grpc-js passes no cipher list unless GRPC_SSL_CIPHER_SUITES
// is set, so Node's tls.DEFAULT_CIPHERS decides).
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { arg } from './stats.js';
import { createKeyAndCsr, createRootCA, issueCertificate, MANAGER_SERVER_NAME, type RootCA } from '../src/security/pki.js';
import { MtlsSecurity } from '../src/security/mtls.js';
import { authorizationInterceptor } from '../src/security/authz.js';
import type { NodeMaterial } from '../src/security/node-material.js';

const PATH = '/bench.Echo/Echo';
const identity = (b: Buffer): Buffer => b;
const REQUEST = Buffer.alloc(120, 7);
const ANSWER = Buffer.alloc(200, 9);
const CLUSTER = 'bench-cluster';
/** --cpu-prof DIR: the server process runs under `node --cpu-prof` (one profile per run, in DIR). */
const CPU_PROF_DIR = arg('cpu-prof', '');

type Mode = 'plain' | 'mtls' | 'mtls-aes128' | 'tls-only';

/** Puts TLS_AES_128_GCM_SHA256 first among the TLS 1.3 suites of this process (checked: it is then negotiated). */
function preferAes128(): void {
  const aes128 = 'TLS_AES_128_GCM_SHA256';
  tls.DEFAULT_CIPHERS = [aes128, ...tls.DEFAULT_CIPHERS.split(':').filter((c) => c !== aes128)].join(':');
}

interface ServerInit {
  mode: Mode;
  material: NodeMaterial;
}

async function material(ca: RootCA, cn: string): Promise<NodeMaterial> {
  const { keyPem, csrPem } = await createKeyAndCsr();
  const certPem = await issueCertificate(ca, { csrPem, commonName: cn, role: 'manager', clusterId: CLUSTER, validityMs: 3_600_000 });
  return { caPem: ca.certPem, certPem, keyPem };
}

/** The server process: serves Echo with the chosen credentials; prints its port. */
async function serve(init: ServerInit): Promise<void> {
  if (init.mode === 'mtls-aes128') preferAes128();
  const srv = new grpc.Server();
  srv.addService(
    { Echo: { path: PATH, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
    { Echo: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, ANSWER) },
  );
  let creds: grpc.ServerCredentials;
  if (init.mode === 'plain') creds = grpc.ServerCredentials.createInsecure();
  else if (init.mode === 'tls-only') creds = new MtlsSecurity(init.material, CLUSTER).serverCredentials();
  else {
    const security = new MtlsSecurity(init.material, CLUSTER);
    creds = grpc.experimental.createServerCredentialsWithInterceptors(security.serverCredentials(), [
      authorizationInterceptor({ clusterId: CLUSTER, isDenied: () => false }),
    ]);
  }
  const port = await new Promise<number>((resolve, reject) => srv.bindAsync('127.0.0.1:0', creds, (e, p) => (e ? reject(e) : resolve(p))));
  process.send?.({ port });
}

function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** read-like and write-like syscalls of a process so far (/proc/PID/io syscr, syscw). */
function syscallsOf(pid: number): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? NaN);
  return { reads: field('syscr'), writes: field('syscw') };
}

function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface RoundResult {
  callsPerSec: number;
  serverCpuUs: number;
  clientCpuUs: number;
  /** The server's read and write syscalls per call. */
  serverReads: number;
  serverWrites: number;
  load: number;
}

async function round(mode: Mode, server: NodeMaterial, client: NodeMaterial, seconds: number, warmup: number, clients: number): Promise<RoundResult> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`, `--cpu-prof-name=server-${mode}-${Date.now()}.cpuprofile`] : [],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      child.send({ mode, material: server } satisfies ServerInit);
    });
    const creds =
      mode === 'plain' ? grpc.credentials.createInsecure() : new MtlsSecurity(client, CLUSTER).channelCredentials();
    if (mode === 'mtls-aes128') preferAes128();
    const channels = Array.from(
      { length: clients },
      () => new grpc.Client(`127.0.0.1:${port}`, creds, { 'grpc.ssl_target_name_override': MANAGER_SERVER_NAME, 'grpc.use_local_subchannel_pool': 1 }),
    );
    const call = (c: grpc.Client): Promise<void> =>
      new Promise((resolve, reject) => c.makeUnaryRequest(PATH, identity, identity, REQUEST, (e) => (e ? reject(e) : resolve())));
    // Connections made and code warm (the JIT has seen thousands of calls): handshakes and warm-up are not measured.
    const warmEnd = performance.now() + warmup * 1000;
    await Promise.all(
      channels.map(async (c) => {
        do await call(c);
        while (performance.now() < warmEnd);
      }),
    );
    const serverCpu0 = cpuMsOf(child.pid!);
    const serverIo0 = syscallsOf(child.pid!);
    const clientCpu0 = ownCpuMs();
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    let calls = 0;
    await Promise.all(
      channels.map(async (c) => {
        while (performance.now() < end) {
          await call(c);
          calls++;
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;
    const serverIo = syscallsOf(child.pid!);
    const result = {
      callsPerSec: calls / elapsed,
      serverCpuUs: ((cpuMsOf(child.pid!) - serverCpu0) * 1000) / calls,
      clientCpuUs: ((ownCpuMs() - clientCpu0) * 1000) / calls,
      serverReads: (serverIo.reads - serverIo0.reads) / calls,
      serverWrites: (serverIo.writes - serverIo0.writes) / calls,
      load: os.loadavg()[0]!,
    };
    for (const c of channels) c.close();
    return result;
  } finally {
    // An orderly exit first, so that --cpu-prof writes its profile.
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.send('exit');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    child.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  const seconds = Number(arg('seconds', '4'));
  const clients = Number(arg('clients', '16'));
  const warmup = Number(arg('warmup', '2'));
  const rounds = Number(arg('rounds', '3'));
  const modes = arg('modes', 'plain,mtls').split(',') as Mode[];
  const ca = await createRootCA();
  const server = await material(ca, 'server');
  const client = await material(ca, 'client');
  console.log(`tls-calls: ${clients} channels, unary calls of ${REQUEST.length}/${ANSWER.length} bytes, ${seconds} s per run, ${rounds} rounds of [${modes.join(', ')}]; loadavg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('round  mode          calls/s   server CPU µs/call   client CPU µs/call   server syscalls/call read+write   load');
  for (let r = 1; r <= rounds; r++) {
    for (const mode of modes) {
      const x = await round(mode, server, client, seconds, warmup, clients);
      console.log(`${String(r).padStart(5)}  ${mode.padEnd(12)}  ${x.callsPerSec.toFixed(0).padStart(7)}  ${x.serverCpuUs.toFixed(0).padStart(19)}  ${x.clientCpuUs.toFixed(0).padStart(19)}  ${`${x.serverReads.toFixed(2)}+${x.serverWrites.toFixed(2)}`.padStart(32)}  ${x.load.toFixed(1).padStart(5)}`);
    }
  }
}

if (process.argv.includes('--serve')) {
  process.once('message', (init) => void serve(init as ServerInit));
  process.on('message', (m) => m === 'exit' && process.exit(0));
} else {
  await main();
}
