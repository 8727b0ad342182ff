// The cost of the PKI on the paths that use it: a worker join with certificate issuance
// (root fetched from the TLS handshake and checked against the token, CSR, Join RPC with
// signing, material written), one certificate renewal, and the CA's primitives alone.
// Usage: node dist/bench/security.js [--joins 20]
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { joinCluster } from '../src/manager/daemon.js';
import { readRootCA } from '../src/manager/store/security-store.js';
import { renewForNode } from '../src/manager/ca-service.js';
import { createKeyAndCsr, createRootCA, issueCertificate } from '../src/security/pki.js';
import { freePort, startCluster } from '../test/helpers/in-process-cluster.js';
import { arg, median, percentile } from './stats.js';

const JOINS = Number(arg('joins', '20'));

async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

const fmt = (xs: number[]): string => `median ${median(xs).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms`;

async function main(): Promise<void> {
  const ca = await createRootCA();
  const keygen = await timeEach(200, () => createKeyAndCsr());
  const { csrPem } = await createKeyAndCsr();
  const issue = await timeEach(200, () => issueCertificate(ca, { csrPem, commonName: 'n', role: 'worker', clusterId: 'c', validityMs: 3_600_000 }));
  console.log(`security: P-256 key + CSR ${fmt(keygen)}; CSR check + issue ${fmt(issue)}`);

  const c = await startCluster(3);
  try {
    const token = (await c.apis[0]!.joinTokens()).worker;
    const leader = c.leader().config.advertiseAddr;
    const follower = c.followers()[0]!.config.advertiseAddr;
    const viaLeader = await timeEach(JOINS, async (i) =>
      joinCluster({ dataDir: join(c.dir, `wl${i}`), token, managerAddr: leader, listenAddr: `127.0.0.1:${await freePort()}`, hostname: `wl${i}` }),
    );
    const viaFollower = await timeEach(JOINS, async (i) =>
      joinCluster({ dataDir: join(c.dir, `wf${i}`), token, managerAddr: follower, listenAddr: `127.0.0.1:${await freePort()}`, hostname: `wf${i}` }),
    );
    console.log(`  worker join with certificate issuance (3 managers, loopback), ${JOINS} each: via the leader ${fmt(viaLeader)}; via a follower (forwarded) ${fmt(viaFollower)}`);
    const m = c.leader();
    const renew = await timeEach(JOINS, async () => renewForNode(m, m.config.nodeId, (await createKeyAndCsr()).csrPem));
    console.log(`  renewal on a manager (read barrier + key + sign): ${fmt(renew)}; root digest ${readRootCA(m.store.db)!.digest.slice(0, 12)}…`);
  } finally {
    await c.close();
  }
}

await main();
