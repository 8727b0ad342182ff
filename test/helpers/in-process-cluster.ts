/**
 * A cluster of real managers inside the test process: real SQLite files in a
 * temp dir, real gRPC on loopback, real Raft — only no separate processes, so
 * API tests start in well under a second. Fault tests that kill or pause
 * processes use the process harness in test/integration instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../../bin/client.js';
import { bootstrapCluster, joinCluster, runManager } from '../../src/manager/daemon.js';
import { silentLogger, stderrLogger } from '../../src/manager/logger.js';
import type { Manager } from '../../src/manager/manager.js';

export interface TestCluster {
  readonly dir: string;
  readonly managers: Manager[];
  /** A client per manager, over its local socket. */
  readonly apis: Api[];
  leader(): Manager;
  followers(): Manager[];
  /** Stops every manager and removes the temp dir. */
  close(): Promise<void>;
}

/** A free TCP port on loopback (bound and released; good enough for tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const logger = process.env['SHOAL_TEST_LOG'] ? stderrLogger() : silentLogger;

export async function startCluster(managerCount: number, opts: { certExpiryMs?: number } = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-test-'));
  const managers: Manager[] = [];
  const apis: Api[] = [];
  const cluster: TestCluster = {
    dir,
    managers,
    apis,
    leader() {
      const l = managers.find((m) => m.shell.isLeader);
      if (!l) throw new Error('no leader right now');
      return l;
    },
    followers() {
      return managers.filter((m) => !m.shell.isLeader);
    },
    async close() {
      for (const a of apis) a.close();
      await Promise.all(managers.map((m) => m.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const port1 = await freePort();
    const dir1 = join(dir, 'm1');
    await bootstrapCluster({
      dataDir: dir1,
      listenAddr: `127.0.0.1:${port1}`,
      hostname: 'm1',
      defaultAddrPools: ['10.0.0.0/8'],
      defaultAddrPoolMaskLength: 24,
      dispatcherHeartbeatMs: 5_000,
      ...(opts.certExpiryMs ? { certExpiryMs: opts.certExpiryMs } : {}),
    });
    managers.push(await runManager(dir1, logger));
    // Clients use each manager's local socket: the TCP port is mutual TLS for nodes and admin certificates.
    apis.push(new Api(`unix://${managers[0]!.socketPath}`));
    await apis[0]!.clusterInfo(10_000);
    const token = (await apis[0]!.joinTokens()).manager;
    for (let i = 2; i <= managerCount; i++) {
      const port = await freePort();
      const d = join(dir, `m${i}`);
      await joinCluster({ dataDir: d, token, managerAddr: `127.0.0.1:${port1}`, listenAddr: `127.0.0.1:${port}`, hostname: `m${i}` });
      managers.push(await runManager(d, logger));
      const api = new Api(`unix://${managers[managers.length - 1]!.socketPath}`);
      apis.push(api);
      await api.clusterInfo(20_000); // linearizable: returns once this manager has caught up
    }
    await waitFor(() => managers.every((m) => m.shell.membership.voters.length === managerCount), 20_000, 'all managers to become voters');
    return cluster;
  } catch (e) {
    await cluster.close();
    throw e;
  }
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
