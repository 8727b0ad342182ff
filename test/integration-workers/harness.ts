/**
 * One in-process manager and N in-process worker agents on loopback: real
 * SQLite, real Raft, real gRPC sessions, real child processes for tasks. A
 * short dispatcher heartbeat keeps node-down detection fast. Everything
 * (processes, temp dir) is cleaned up by close().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapCluster, joinCluster, nodeSecurity, runManager } from '../../src/manager/daemon.js';
import { tokenDigest } from '../../src/manager/store/apply.js';
import { silentLogger, stderrLogger } from '../../src/manager/logger.js';
import type { Manager } from '../../src/manager/manager.js';
import { getCluster, listNodes } from '../../src/manager/store/queries.js';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { listTasks, serviceByName, type TaskRecord } from '../../src/manager/store/service-queries.js';
import { deriveJoinToken, newObjectId } from '../../src/manager/tokens.js';
import { Agent } from '../../src/worker/agent.js';
import type { ContainerEngine } from '../../src/worker/docker-engine.js';
import { AgentStore } from '../../src/worker/agent-store.js';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';

const log = process.env['SHOAL_TEST_LOG'] ? stderrLogger() : silentLogger;

export interface WorkerHandle {
  readonly name: string;
  readonly nodeId: string;
  readonly dir: string;
  /** The capacity the agent reports; undefined = the machine's. */
  readonly resources: WorkerResources | undefined;
  agent: Agent;
}

export interface WorkerResources {
  readonly nanoCpus: number;
  readonly memoryBytes: number;
}

export class WorkerCluster {
  private constructor(
    readonly dir: string,
    readonly manager: Manager,
    readonly addr: string,
    readonly workers: WorkerHandle[],
  ) {}

  static async start(workerCount: number, heartbeatMs = 500): Promise<WorkerCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-workers-'));
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    await bootstrapCluster({ dataDir: join(dir, 'm1'), listenAddr: addr, hostname: 'm1', defaultAddrPools: ['10.0.0.0/8'], defaultAddrPoolMaskLength: 24, dispatcherHeartbeatMs: heartbeatMs });
    const manager = await runManager(join(dir, 'm1'), log);
    await waitFor(() => manager.shell.isLeader, 10_000, 'the manager to lead');
    // The manager is drained of tasks in these tests so the spread is over the workers only.
    await manager.write({ op: 'node.update', at: Date.now(), id: manager.config.nodeId, version: 0, availability: 'drain' });
    const cluster = new WorkerCluster(dir, manager, addr, []);
    for (let i = 1; i <= workerCount; i++) {
      await cluster.addWorker(`w${i}`);
    }
    await waitFor(() => cluster.workers.every((w) => w.agent.state === 'connected'), 10_000, 'every agent to hold a session');
    const ready = (): boolean => cluster.workers.every((w) => listNodes(manager.store.db).find((n) => n.id === w.nodeId)?.status === 'ready');
    await waitFor(ready, 10_000, 'every worker node to be ready');
    return cluster;
  }

  /** Joins one more worker and starts its agent, reporting `resources` as its capacity if given. */
  async addWorker(name: string, resources?: WorkerResources, containerEngine?: ContainerEngine): Promise<WorkerHandle> {
    const c = getCluster(this.manager.store.db);
    const token = deriveJoinToken(tokenDigest(this.manager.store.db, c.id), c.tokenKey, 'worker', c.workerTokenGen);
    const wdir = join(this.dir, name);
    const wport = await freePort();
    const { config } = await joinCluster({ dataDir: wdir, token, managerAddr: this.addr, listenAddr: `127.0.0.1:${wport}`, hostname: name });
    const h: WorkerHandle = { name, nodeId: config.nodeId, dir: wdir, resources, agent: this.newAgent(wdir, config.nodeId, name, resources, containerEngine) };
    await h.agent.start();
    this.workers.push(h);
    return h;
  }

  newAgent(dir: string, nodeId: string, hostname: string, resources?: WorkerResources, containerEngine?: ContainerEngine): Agent {
    return new Agent({
      dataDir: dir, nodeId, hostname, managers: [this.addr], security: nodeSecurity(dir, getCluster(this.manager.store.db).id), log, stopGraceMs: 1_000,
      ...(resources ? { resources } : {}), ...(containerEngine ? { containerEngine } : {}),
    });
  }

  async createService(
    name: string,
    replicas: number,
    command: string,
    args: string[],
    networks: string[] = [],
    restart: ServiceSpecRecord['template']['restartPolicy']['condition'] = 'any',
    mode: ServiceSpecRecord['mode'] = 'replicated',
  ): Promise<string> {
    const id = newObjectId();
    const spec: ServiceSpecRecord = {
      name,
      labels: {},
      mode,
      replicas: mode === 'global' ? 0 : replicas,
      template: {
        command,
        args,
        env: ['GREETING=hello'],
        reservations: { nanoCpus: 0, memoryBytes: 0 },
        restartPolicy: { condition: restart, delayMs: 100, maxAttempts: 0, windowMs: 0 },
      },
      networks,
      placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
      updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
      stack: '',
    };
    await this.manager.write({ op: 'service.create', at: Date.now(), id, taskIdSeed: newObjectId() + newObjectId(), spec });
    return id;
  }

  async createNetwork(name: string): Promise<string> {
    const id = newObjectId();
    await this.manager.write({ op: 'network.create', at: Date.now(), id, name, driver: 'overlay', attachable: false, labels: {} });
    return id;
  }

  tasks(serviceName: string): TaskRecord[] {
    const s = serviceByName(this.manager.store.db, serviceName);
    return s ? listTasks(this.manager.store.db, { serviceIds: [s.id] }) : [];
  }

  running(serviceName: string): TaskRecord[] {
    return this.tasks(serviceName).filter((t) => t.desiredState === 'running' && t.status.state === 'running');
  }

  async waitRunning(serviceName: string, n: number, timeoutMs = 20_000): Promise<void> {
    try {
      await waitFor(() => this.running(serviceName).length === n, timeoutMs, `${n} running tasks of ${serviceName}`);
    } catch (e) {
      // The count at the deadline, not at the call (a message built up front would show the start).
      throw new Error(`${e instanceof Error ? e.message : String(e)} (now ${this.running(serviceName).length})`, { cause: e });
    }
  }

  async close(): Promise<void> {
    // Stop every task first (the agent's close leaves tasks running, as a daemon restart would).
    for (const w of this.workers) {
      await w.agent.close();
      killTasksUnder(w);
    }
    await this.manager.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Kills the process groups an agent started (read back from its agent.db; the agent must be closed). */
export function killTasksUnder(w: Pick<WorkerHandle, 'dir'>): void {
  const store = new AgentStore(join(w.dir, 'agent.db'));
  try {
    for (const a of store.all()) {
      if (a.pid <= 0) continue;
      try {
        process.kill(-a.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } finally {
    store.close();
  }
}
