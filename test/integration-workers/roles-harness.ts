/**
 * Scaffolding shared by the real-process role tests (roles*.test.ts): daemons started by the CLI in one
 * temp dir (one data dir per node name), and pollers that read the daemons' local sockets and files.
 */
import * as grpc from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { AgentStore } from '../../src/worker/agent-store.js';
import { isAlive } from '../../src/process-info.js';
import { readNodeConfig } from '../../src/node/node-config.js';
import { SOCKET_FILE } from '../../src/node/paths.js';
import { loadProtos } from '../../src/proto/load.js';
import type { ListMembersResponse__Output } from '../../src/generated/shoal/v1/ListMembersResponse.js';
import { Api } from '../../bin/client.js';
import { waitForAsync } from '../helpers/wait-async.js';
export { waitForAsync };

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');

/** Deadline of one in-test RPC, short so a daemon mid-change or mid-election only costs one poll. */
export const RPC_TIMEOUT_MS = 2_000;

export interface Member {
  raftId: number;
  nodeId: string;
  voter: boolean;
}

/** Function-valued fields (not methods), so tests may destructure them. */
export interface RolesCluster {
  readonly dir: string;
  /** Runs the CLI against `node`'s data dir; its stdout. */
  shoal: (node: string, ...args: string[]) => Promise<string>;
  /** The CLI's stderr when it fails as expected (a refusal). */
  refusal: (node: string, ...args: string[]) => Promise<string>;
  pidOf: (node: string) => number;
  configOf: (node: string) => { nodeId: string; raftId: number; role: string };
  withNode: <T>(node: string, fn: (api: Api) => Promise<T>) => Promise<T>;
  /** The raw Raft membership as the manager on `node` knows it (Raft.ListMembers on its socket). */
  membersVia: (node: string) => Promise<Member[]>;
  /** hostname → "role/manager status" as `node ls` shows them through `via`. */
  rolesVia: (via: string) => Promise<Map<string, string>>;
  roleOnSocket: (node: string) => Promise<string>;
  /** taskId → pid of the running tasks the agent of `node` recorded. */
  pidsOf: (node: string) => Map<string, number>;
  /** The members are exactly the voters whose Raft IDs the managers' node.json files hold: nobody twice, nobody lost. */
  votersMatch: (via: string, managers: string[]) => Promise<boolean>;
  /** Stops every daemon and task of `nodes` and removes the temp dir (SHOAL_TEST_KEEP=1 keeps it). */
  cleanup: (nodes: string[]) => Promise<void>;
}

export function rolesCluster(prefix: string): RolesCluster {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const shoal = async (node: string, ...args: string[]): Promise<string> =>
    (await run(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 30_000 })).stdout;
  const refusal = async (node: string, ...args: string[]): Promise<string> => {
    try {
      await shoal(node, ...args);
    } catch (e) {
      return String((e as { stderr?: string }).stderr ?? e);
    }
    throw new Error(`\`shoal ${args.join(' ')}\` on ${node} succeeded; a refusal was expected`);
  };
  const pidOf = (node: string): number => Number(readFileSync(join(dir, node, 'shoal.pid'), 'utf8').split('\n')[0]);
  const configOf = (node: string): { nodeId: string; raftId: number; role: string } => {
    const c = readNodeConfig(join(dir, node));
    return { nodeId: c?.nodeId ?? '', raftId: c?.raftId ?? 0, role: c?.role ?? '' };
  };
  async function withNode<T>(node: string, fn: (api: Api) => Promise<T>): Promise<T> {
    const api = new Api(`unix://${join(dir, node, SOCKET_FILE)}`);
    try {
      return await fn(api);
    } finally {
      api.close();
    }
  }
  const membersVia = (node: string): Promise<Member[]> =>
    new Promise((resolve, reject) => {
      const client = new (loadProtos().grpcObject.shoal.v1.Raft)(`unix://${join(dir, node, SOCKET_FILE)}`, grpc.credentials.createInsecure());
      client.ListMembers({}, { deadline: Date.now() + RPC_TIMEOUT_MS }, (err: grpc.ServiceError | null, res?: ListMembersResponse__Output) => {
        client.close();
        if (err || !res) reject(err ?? new Error('no answer'));
        else resolve(res.members.map((m) => ({ raftId: Number(m.raftId), nodeId: m.nodeId, voter: m.voter })));
      });
    });
  const rolesVia = (via: string): Promise<Map<string, string>> =>
    withNode(via, async (api) => {
      const res = await api.listNodes();
      return new Map(res.nodes.map((n) => [n.hostname, `${n.role === 'NODE_ROLE_MANAGER' ? 'manager' : 'worker'}/${n.role !== 'NODE_ROLE_MANAGER' ? '' : n.catchingUp ? 'catching-up' : n.reachability}`]));
    });
  const roleOnSocket = (node: string): Promise<string> => withNode(node, async (api) => String((await api.clusterInfo(RPC_TIMEOUT_MS)).role));
  const pidsOf = (node: string): Map<string, number> => {
    const store = new AgentStore(join(dir, node, 'agent.db'));
    try {
      return new Map(store.all().filter((a) => a.desired === 'running' && a.state === 'running').map((a) => [a.spec.id, a.pid]));
    } finally {
      store.close();
    }
  };
  const votersMatch = async (via: string, managers: string[]): Promise<boolean> => {
    const members = await membersVia(via);
    const want = managers.map((m) => configOf(m).raftId).sort((a, b) => a - b);
    const voters = members.filter((m) => m.voter).map((m) => m.raftId).sort((a, b) => a - b);
    return members.length === managers.length && JSON.stringify(voters) === JSON.stringify(want);
  };
  const cleanup = async (nodes: string[]): Promise<void> => {
    await Promise.all(nodes.map((n) => shoal(n, 'stop').catch(() => undefined)));
    for (const n of nodes) {
      killStoredTasks(join(dir, n));
      try {
        const pid = pidOf(n);
        if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // no pid file, or the daemon is already gone
      }
    }
    // SHOAL_TEST_KEEP=1 keeps the data dirs (daemon logs included) to look at a failure.
    if (process.env['SHOAL_TEST_KEEP']) process.stderr.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  };
  return { dir, shoal, refusal, pidOf, configOf, withNode, membersVia, rolesVia, roleOnSocket, pidsOf, votersMatch, cleanup };
}

/** Polls an async condition until it holds; errors count as "not yet" (a daemon mid-change may not answer). */
