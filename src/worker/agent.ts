/**
 * The worker agent: holds one session with the leader's dispatcher, keeps it
 * alive with heartbeats on the session stream (Dispatcher.Connect), applies the assignments it receives through the
 * Reconciler (which records them in agent.db before acting), and reports the
 * executor's task statuses in batches.
 *
 * Failover: a follower answers with "… the leader is at HOST:PORT", which the
 * agent follows at once; any other failure moves to the next manager of the
 * list (refreshed by every session) after a bounded, growing backoff. A node
 * that was removed from the cluster stops its tasks and the agent ends.
 *
 * Leaving a session on purpose (to reconnect, or to stop) sends a goodbye on the
 * Connect stream: the manager then knows the node is alive. A stream that just
 * breaks means the process died, and the node is marked down after a short grace.
 */
import type * as grpc from '@grpc/grpc-js';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { AssignmentsMessage__Output } from '../generated/shoal/v1/AssignmentsMessage.js';
import type { DispatcherClient } from '../generated/shoal/v1/Dispatcher.js';
import type { SessionMessage__Output } from '../generated/shoal/v1/SessionMessage.js';
import type { SessionStreamRequest } from '../generated/shoal/v1/SessionStreamRequest.js';
import type { NamesMessage__Output } from '../generated/shoal/v1/NamesMessage.js';
import type { Task__Output } from '../generated/shoal/v1/Task.js';
import type { TaskState } from '../generated/shoal/v1/TaskState.js';
import type { TaskStatusUpdate } from '../generated/shoal/v1/TaskStatusUpdate.js';
import { loadProtos } from '../proto/load.js';
import { ShoalError } from '../errors.js';
import { fromServiceError } from '../node/grpc-util.js';
import type { Logger } from '../node/logger.js';
import type { TransportSecurity } from '../raft/transport/credentials.js';
import type { NodeDataPlane } from '../network/dataplane/node-setup.js';
import type { PeerInput } from '../network/dataplane/model.js';
import { endpointsOf, taskNetworkOf } from '../network/dataplane/task-network.js';
import type { NodeNames } from './node-names.js';
import type { CertificateFollower } from '../security/ca-follower.js';
import { AgentStore } from './agent-store.js';
import type { ExecStatus, Executor, PullPolicy, TaskSpec } from './executor.js';
import type { ContainerEngine } from './docker-engine.js';
import { nodeExecutor } from './routing-executor.js';
import { DOCKER_ID_LABEL } from './docker-plugin/shoal-port.js';
import { Reconciler, STOP_GRACE_MS, type Assignment } from './reconciler.js';
import { LogRelay } from './log-relay.js';
import { LogTimes } from './log-times.js';

/** Status reports are sent at most this often, batched. */
export const STATUS_FLUSH_MS = 100;
/** Bound on status reports kept while no manager answers (the oldest are dropped past it). */
const OUTBOX_MAX = 10_000;
/** Reports per UpdateTaskStatus call (the dispatcher's limit). */
const REPORTS_PER_CALL_MAX = 1_000;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 2_000;
/** The gRPC channel's first reconnect backoff to a manager that refused a connection (then × 1.6, up to BACKOFF_MAX_MS). */
const RECONNECT_BACKOFF_FIRST_MS = 250;
/** How long to wait for the first session message before trying elsewhere. */
const SESSION_OPEN_TIMEOUT_MS = 5_000;
const CALL_TIMEOUT_MS = 5_000;
/**
 * Heartbeat periods without an answer after which the manager is taken for gone (frozen, cut
 * off) and the agent looks for another. Below the new leader's grace (6 periods, leadership-grace.ts)
 * so a node on a frozen leader reaches the next one in time.
 */
const ACK_PERIODS_MAX = 3;
/** Floor of that wait, for very short periods on a loaded machine. */
const ACK_WAIT_MIN_MS = 2_000;
/**
 * With a manager that takes HTTP/2 PINGs as heartbeats (SessionMessage.heartbeat_pings), the
 * channel pings once per period and a heartbeat message goes only every this many periods (the
 * first beat, and at once when the certificate's root changes): it reports the root, and its
 * answer proves the dispatcher itself still serves this session.
 */
const HEARTBEAT_MESSAGE_PERIODS = 10;
/** The PING interval of a channel opened before any manager told the period: the cluster default. */
const PING_MS_UNTOLD = 1_000;
/** How long a goodbye waits for the manager's answer before the stream is cancelled. */
const GOODBYE_TIMEOUT_MS = 3_000;
/** Nothing told yet by the session's heartbeat answers. */
const NOTHING_TOLD = { role: null, raftId: 0, caSigningDigest: '', caTrustDigests: [] } as const;

export interface AgentOptions {
  readonly dataDir: string;
  readonly nodeId: string;
  readonly hostname: string;
  /** Manager addresses to start from ("HOST:PORT"); the sessions refresh the list. */
  readonly managers: readonly string[];
  readonly security: TransportSecurity;
  readonly log: Logger;
  readonly executor?: Executor;
  readonly stopGraceMs?: number;
  /** Called when a session brings a new manager list (the daemon persists it for the next start). */
  readonly onManagers?: (addrs: readonly string[]) => void;
  /**
   * The capacity reported to the scheduler at session start; default: this machine's CPUs and
   * memory. Set it to run several agents on one host as if they were sized nodes (tests, demos).
   */
  readonly resources?: { readonly nanoCpus: number; readonly memoryBytes: number };
  /** The node's data plane (node-setup.ts): tasks in their own namespaces, peers over VXLAN. Absent = addresses only. */
  readonly dataPlane?: NodeDataPlane;
  /** Called with the cluster's VXLAN port from each session (the daemon keeps it for the next start). */
  readonly onDataPathPort?: (port: number) => void;
  /** The node's container engine (detectContainerEngine): image tasks run there, and the node reports it. */
  readonly containerEngine?: ContainerEngine;
  /** The node's service discovery (only with a data plane): fed by Dispatcher.Names, told about namespaces by the data plane. */
  readonly names?: NodeNames;
  /** Called with the role (and Raft ID) the replicated state holds for this node, from each heartbeat (src/node/daemon.ts converges to it). */
  readonly onDesiredRole?: (role: 'manager' | 'worker', raftId: number) => void;
  /** Mutual TLS only: reports the node's certificate root with each heartbeat and follows CA rotations (ca-follower.ts). */
  readonly certificates?: CertificateFollower;
  /**
   * Called with the attachment IDs of the service tasks assigned here (each assignment message that
   * has some): the Docker plugin learns from it that the store handed a Docker container's address
   * to a task (`stack deploy --adopt`), and stops that container.
   */
  readonly onTaskAttachments?: (attachmentIds: ReadonlySet<string>) => void;
}

export type AgentState = 'connecting' | 'connected' | 'removed' | 'closed';

export class Agent {
  private readonly store: AgentStore;
  private readonly executor: Executor;
  private readonly reconciler: Reconciler;
  /** `service logs` / `container logs`: times for the task logs, and their relay to the leader (log-relay.ts). */
  private readonly logTimes: LogTimes;
  private readonly logRelay: LogRelay;
  /** One channel per manager, pinging every `pingMs` (heartbeat-pings.ts on the manager's side). */
  private readonly clients = new Map<string, { client: DispatcherClient; pingMs: number }>();
  /** Whether a manager has told this agent the heartbeat period yet. */
  private periodTold = false;
  private managers: string[];
  private next = 0;
  private preferred: string | null = null;
  /** The heartbeat period of the last session (what the dispatcher asked for); bounds the reconnect backoff. */
  private heartbeatPeriodMs = BACKOFF_MAX_MS;
  private outbox: TaskStatusUpdate[] = [];
  private sessionId = '';
  private sessionClient: DispatcherClient | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing = false;
  private applying: Promise<void> = Promise.resolve();
  private endSession: ((e: unknown) => void) | null = null;
  /**
   * What this session's heartbeat answers said last: the leader sends the role and the CA's target
   * only when they change (heartbeat-answers.ts), and the agent acts on them at every answer.
   */
  private told: { role: 'manager' | 'worker' | null; raftId: number; caSigningDigest: string; caTrustDigests: readonly string[] } = NOTHING_TOLD;
  /** Settles when the last session's goodbye was answered (or gave up): close() waits for it. */
  private goodbye: Promise<void> = Promise.resolve();
  private loop: Promise<void> = Promise.resolve();
  state: AgentState = 'connecting';
  /** The manager the current session is with. */
  connectedTo = '';

  constructor(private readonly opts: AgentOptions) {
    if (opts.managers.length === 0) throw new ShoalError('FAILED_PRECONDITION', 'the agent needs at least one manager address');
    const r = opts.resources;
    if (r !== undefined && !(Number.isSafeInteger(r.nanoCpus) && r.nanoCpus >= 0 && Number.isSafeInteger(r.memoryBytes) && r.memoryBytes >= 0)) {
      throw new ShoalError('INVALID_ARGUMENT', `the agent's resources must be non-negative integers, got ${r.nanoCpus} nanoCPUs, ${r.memoryBytes} bytes`);
    }
    this.managers = [...opts.managers];
    this.store = new AgentStore(join(opts.dataDir, 'agent.db'));
    const plane = opts.dataPlane?.plane ?? null;
    this.executor = opts.executor ?? nodeExecutor(opts.dataDir, opts.containerEngine?.client ?? null, plane ? taskNetworkOf(plane) : undefined);
    this.reconciler = new Reconciler(this.store, this.executor, (s) => this.queueReport(s), opts.stopGraceMs ?? STOP_GRACE_MS);
    this.logTimes = new LogTimes((id) => this.executor.logPath(id), () => this.store.taskIds());
    this.logRelay = new LogRelay(this.logTimes, opts.log);
  }

  /** Resumes what agent.db says should run (re-adopt or restart), then connects in the background. */
  async start(): Promise<void> {
    const plane = this.opts.dataPlane?.plane ?? null;
    const names = plane ? this.opts.names : undefined;
    if (plane && names) {
      // Before the first reconcile, so adopted sandboxes and task namespaces get their listeners and rules back.
      plane.setNames(names);
      await names.start();
    }
    if (plane) {
      // Every task that may still run keeps its namespace: registered before the first reconcile.
      for (const a of this.store.all()) {
        if (a.desired === 'running' && a.spec.attachments.length > 0) plane.adopt(a.spec.id, endpointsOf(a.spec.id, a.spec.attachments, (a.spec.image ?? '') !== ''));
      }
    }
    await this.reconciler.resume();
    plane?.start();
    this.logTimes.start();
    this.flushTimer = setInterval(() => void this.flushReports(), STATUS_FLUSH_MS);
    this.loop = this.run();
  }

  /** Stops the agent; tasks keep running (they belong to the node, and `shoal start` re-adopts them). */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.endSession?.(new ShoalError('UNAVAILABLE', 'agent closing'));
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.loop.catch(() => undefined);
    await this.goodbye;
    await this.applying.catch(() => undefined);
    this.logRelay.close();
    this.logTimes.close();
    for (const c of this.clients.values()) c.client.close();
    this.reconciler.close();
    this.executor.close();
    this.opts.dataPlane?.plane?.close();
    await this.opts.names?.close();
    this.store.close();
  }

  /** Task IDs this agent was told about, for tests and `container ls` on the node. */
  assignedTaskIds(): string[] {
    return this.store.all().map((a) => a.spec.id);
  }

  taskStatus(taskId: string): ExecStatus | null {
    return this.executor.status(taskId);
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private async run(): Promise<void> {
    let backoffMs = BACKOFF_MIN_MS;
    while (this.state !== 'closed' && this.state !== 'removed') {
      const addr = this.preferred ?? this.managers[this.next % this.managers.length] ?? '';
      this.preferred = null;
      try {
        await this.session(addr);
        backoffMs = BACKOFF_MIN_MS;
      } catch (e) {
        if (this.isClosed()) break;
        const err = fromServiceError(e);
        if (err.code === 'PERMISSION_DENIED' && err.message.includes('removed from the cluster')) {
          await this.onRemoved(err.message);
          break;
        }
        const leader = /the leader is at (\S+)/.exec(err.message)?.[1];
        if (leader && leader !== addr) {
          this.preferred = leader.replace(/[;,.]$/, '');
          continue;
        }
        this.opts.log.info('agent-session-ended', { manager: addr, error: err.message });
        this.next++;
        await sleep(backoffMs);
        // At least one attempt per heartbeat period: a new leader marks a node down after a few periods without a session.
        backoffMs = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, this.heartbeatPeriodMs), backoffMs * 2);
      }
    }
  }

  private client(addr: string): { client: DispatcherClient; pingMs: number } {
    let c = this.clients.get(addr);
    if (!c) {
      // HTTP/2 keepalive PINGs once per heartbeat period: a manager that counts them as heartbeats
      // needs few heartbeat messages, and an unanswered PING (the manager frozen or cut off) drops
      // the connection after as long as a heartbeat answer may take, so the agent moves on.
      const pingMs = this.periodTold ? this.heartbeatPeriodMs : PING_MS_UNTOLD;
      const options: grpc.ChannelOptions = {
        'grpc.keepalive_time_ms': pingMs,
        'grpc.keepalive_timeout_ms': Math.max(ACK_WAIT_MIN_MS, ACK_PERIODS_MAX * pingMs),
        // grpc-js backs off reconnecting 1 s × 1.6 per failed attempt up to 120 s, reset only by a
        // connection that succeeds. A manager down for a minute (restarted, or the last one forcing a
        // new cluster) would then be retried only every ~30 s once it is back, long past the grace a
        // new leader gives the node. The agent keeps its own bounded backoff across the managers.
        'grpc.initial_reconnect_backoff_ms': RECONNECT_BACKOFF_FIRST_MS,
        'grpc.max_reconnect_backoff_ms': BACKOFF_MAX_MS,
      };
      c = { client: new (loadProtos().grpcObject.shoal.v1.Dispatcher)(addr, this.opts.security.channelCredentials(), options), pingMs };
      this.clients.set(addr, c);
    }
    return c;
  }

  /** One session: resolves never; rejects with why it ended. */
  private session(addr: string): Promise<void> {
    const channel = this.client(addr);
    const client = channel.client;
    this.state = 'connecting';
    return new Promise<void>((_resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const calls: { cancel(): void }[] = [];
      let ended = false;
      let lastAnswerMs = Date.now();
      const stream = client.Connect();
      this.told = NOTHING_TOLD; // a new session is told everything again
      let finished = false; // the call has its status (the manager ended it)
      stream.on('status', () => {
        finished = true;
      });
      const end = (e: unknown): void => {
        if (ended) return;
        ended = true;
        for (const t of timers) clearTimeout(t);
        for (const c of calls) c.cancel();
        if (!finished) this.goodbye = sayGoodbye(stream, fromServiceError(e).message);
        if (this.sessionClient === client) this.sessionClient = null;
        this.sessionId = '';
        this.endSession = null;
        if (this.state === 'connected') this.state = 'connecting';
        this.opts.names?.reset(); // the next session starts from a complete set
        reject(fromServiceError(e));
      };
      this.endSession = end;
      timers.push(setTimeout(() => end(new ShoalError('UNAVAILABLE', `no session from ${addr} within ${SESSION_OPEN_TIMEOUT_MS} ms`)), SESSION_OPEN_TIMEOUT_MS));
      stream.on('error', (e) => end(e));
      stream.on('end', () => end(new ShoalError('UNAVAILABLE', `the session with ${addr} ended`)));
      stream.on('data', (msg: SessionMessage__Output) => {
        lastAnswerMs = Date.now();
        // Every message (the session's first, and each heartbeat's answer) carries the manager list,
        // and heartbeat answers the role the replicated state holds and the CA's target roots.
        this.noteManagers(msg.managers);
        this.noteHeartbeatAnswer(msg);
        if (Number(msg.heartbeatAckUnixMs) > 0) {
          this.heartbeatPeriodMs = Number(msg.heartbeatPeriodMs) || this.heartbeatPeriodMs;
          return;
        }
        if (this.sessionId !== '') return; // later messages only refresh the manager list
        for (const t of timers) clearTimeout(t);
        timers.length = 0;
        this.sessionId = msg.sessionId;
        this.sessionClient = client;
        this.state = 'connected';
        this.connectedTo = addr;
        this.opts.log.info('agent-session-opened', { manager: addr, heartbeatMs: msg.heartbeatPeriodMs });
        this.heartbeatPeriodMs = Number(msg.heartbeatPeriodMs) || 5_000;
        this.periodTold = true;
        if (msg.heartbeatPings && channel.pingMs > this.heartbeatPeriodMs) {
          // This channel pings less often than the period: reconnect once over one that pings in time
          // (the goodbye keeps the node from being taken for lost).
          this.clients.delete(addr);
          this.preferred = addr;
          const stale = client;
          end(new ShoalError('UNAVAILABLE', `reconnecting over a channel that pings every ${this.heartbeatPeriodMs} ms`));
          void this.goodbye.then(() => stale.close());
          return;
        }
        const port = Number(msg.dataPathPort);
        if (port > 0) {
          this.opts.dataPlane?.plane?.setPort(port);
          this.opts.onDataPathPort?.(port);
        }
        // Should the period shrink below the channel's PING interval later, every beat is a message again.
        const pings = msg.heartbeatPings === true;
        this.heartbeats(stream, addr, timers, end, () => lastAnswerMs, () => (pings && channel.pingMs <= this.heartbeatPeriodMs ? HEARTBEAT_MESSAGE_PERIODS : 1));
        calls.push(this.assignments(client, msg.sessionId, end));
        calls.push(this.logRelay.listen(client, msg.sessionId));
        if (this.opts.names && this.opts.dataPlane?.plane) calls.push(this.namesStream(this.opts.names, client, msg.sessionId, end));
      });
      try {
        stream.write({
          open: {
            nodeId: this.opts.nodeId,
            description: {
              hostname: this.opts.hostname,
              platform: { os: process.platform, arch: process.arch },
              resources: this.opts.resources ?? { nanoCpus: cpus().length * 1e9, memoryBytes: totalmem() },
              dataPathAddr: this.opts.dataPlane?.status.dataPathAddr ?? '',
              dataPlane: this.opts.dataPlane ? (this.opts.dataPlane.status.on ? 'on' : this.opts.dataPlane.status.reason) : '',
              engine: this.opts.containerEngine?.version ?? '',
            },
          },
        } satisfies SessionStreamRequest);
      } catch (e) {
        end(e); // the client was closed (agent shutting down)
      }
    });
  }

  /**
   * Heartbeats on the session stream, one per period (the period may change with each answer).
   * The manager answers each; when no answer came for ACK_PERIODS_MAX periods, the manager is
   * taken for gone and the session ends (the agent then tries the next manager).
   */
  /** A newer manager list (sessions and heartbeats carry it): where to fail over to, kept by the daemon for the next start. */
  private noteManagers(peers: readonly { addr: string }[]): void {
    const addrs = peers.map((p) => p.addr).filter((a) => a !== '');
    if (addrs.length > 0 && addrs.join(',') !== this.managers.join(',')) {
      this.managers = addrs;
      this.opts.onManagers?.(addrs);
    }
  }

  /** A heartbeat's answer: the role the node should have (src/node/daemon.ts converges to it) and the roots a CA rotation wants. */
  private noteHeartbeatAnswer(msg: SessionMessage__Output): void {
    const role = msg.desiredRole === 'NODE_ROLE_MANAGER' ? 'manager' : msg.desiredRole === 'NODE_ROLE_WORKER' ? 'worker' : null;
    // A field left out means "unchanged since the last answer" (a leader of an earlier version sends all of them each time).
    if (role && Number(msg.raftId) > 0) this.told = { ...this.told, role, raftId: Number(msg.raftId) };
    if (msg.caSigningDigest) this.told = { ...this.told, caSigningDigest: msg.caSigningDigest, caTrustDigests: msg.caTrustDigests };
    // Acted on at every answer, as before: a renewal that failed is tried again at the next one.
    if (this.told.role) this.opts.onDesiredRole?.(this.told.role, this.told.raftId);
    if (this.told.caSigningDigest) this.opts.certificates?.onTarget(this.told.caSigningDigest, this.told.caTrustDigests);
  }

  /**
   * `messageEvery`: 1, or HEARTBEAT_MESSAGE_PERIODS when the channel's PINGs are this session's
   * heartbeats; then a message goes on the first beat, every that many, and when the root changed.
   */
  private heartbeats(stream: grpc.ClientDuplexStream<SessionStreamRequest, SessionMessage__Output>, addr: string, timers: NodeJS.Timeout[], end: (e: unknown) => void, lastAnswerMs: () => number, messageEvery: () => number): void {
    // One slot in `timers` (which `end` clears), replaced at each beat: a day-long session must not keep 86,400 fired timers.
    const slot = timers.length;
    let beats = 0;
    let reportedRoot: string | null = null;
    const beat = (): void => {
      const every = messageEvery();
      const waitMs = Math.max(ACK_WAIT_MIN_MS, (ACK_PERIODS_MAX + every - 1) * this.heartbeatPeriodMs);
      const silentMs = Date.now() - lastAnswerMs();
      if (silentMs > waitMs) return end(new ShoalError('UNAVAILABLE', `no answer to heartbeats from ${addr} for ${silentMs} ms`));
      const root = this.opts.certificates?.rootDigest() ?? '';
      if (beats++ % every === 0 || root !== reportedRoot) {
        reportedRoot = root;
        stream.write({ heartbeat: { sentUnixMs: Date.now(), certRootDigest: root } } satisfies SessionStreamRequest);
      }
      timers[slot] = setTimeout(beat, this.heartbeatPeriodMs);
    };
    timers[slot] = setTimeout(beat, this.heartbeatPeriodMs);
  }

  private assignments(client: DispatcherClient, sessionId: string, end: (e: unknown) => void): grpc.ClientReadableStream<AssignmentsMessage__Output> {
    const stream = client.Assignments({ sessionId });
    let at = '';
    stream.on('error', (e) => end(e));
    stream.on('end', () => end(new ShoalError('UNAVAILABLE', 'the assignments stream ended')));
    stream.on('data', (msg: AssignmentsMessage__Output) => {
      const complete = msg.type === 'ASSIGNMENTS_TYPE_COMPLETE';
      if (!complete && msg.appliesTo !== at) {
        return end(new ShoalError('ABORTED', `assignments out of sequence (at ${at}, message applies to ${msg.appliesTo}); resyncing`));
      }
      at = msg.resultsIn;
      this.applying = this.applying
        .then(() => this.apply(msg, complete))
        .catch((e: unknown) => this.opts.log.error('agent-apply-failed', { error: e instanceof Error ? e.message : String(e) }));
    });
    return stream;
  }

  /** Dispatcher.Names into the node's resolver; a malformed message ends the session (the next one starts complete). */
  private namesStream(names: NodeNames, client: DispatcherClient, sessionId: string, end: (e: unknown) => void): grpc.ClientReadableStream<NamesMessage__Output> {
    const stream = client.Names({ sessionId });
    stream.on('error', (e) => end(e));
    stream.on('end', () => end(new ShoalError('UNAVAILABLE', 'the names stream ended')));
    stream.on('data', (msg: NamesMessage__Output) => {
      try {
        names.apply(msg);
      } catch (e) {
        end(e);
      }
    });
    return stream;
  }

  private async apply(msg: AssignmentsMessage__Output, complete: boolean): Promise<void> {
    const updates: Assignment[] = [];
    const removed: string[] = [];
    const peers = new Map<string, PeerInput>();
    const peersRemoved: string[] = [];
    const taskAttachments = new Set<string>();
    for (const c of msg.changes) {
      if (c.item === 'peer' && c.peer) {
        if (c.action === 'ASSIGNMENT_ACTION_REMOVE') peersRemoved.push(c.peer.id);
        else peers.set(c.peer.id, { networkId: c.peer.networkId, ip: c.peer.address, vtep: c.peer.dataPathAddr });
        continue;
      }
      if (c.item !== 'task' || !c.task) continue; // networks and container attachments need no action from the process executor
      if (c.task.labels?.[DOCKER_ID_LABEL] !== undefined) continue; // a Docker container: Docker runs it, the node's plugin keeps its record
      if (c.action === 'ASSIGNMENT_ACTION_REMOVE') removed.push(c.task.id);
      else updates.push(toAssignment(c.task));
      if (c.action !== 'ASSIGNMENT_ACTION_REMOVE' && c.task.serviceId !== '') for (const a of c.task.attachments) taskAttachments.add(a.id);
    }
    if (taskAttachments.size > 0) this.opts.onTaskAttachments?.(taskAttachments);
    const plane = this.opts.dataPlane?.plane;
    if (plane && complete) plane.replacePeers(peers, new Set());
    else if (plane) plane.updatePeers(peers, peersRemoved);
    if (complete) await this.reconciler.applyComplete(updates);
    else await this.reconciler.applyIncremental(updates, removed);
  }

  private queueReport(s: ExecStatus): void {
    if (this.outbox.length >= OUTBOX_MAX) this.outbox.shift();
    this.outbox.push({
      taskId: s.taskId,
      status: {
        state: `TASK_STATE_${s.state.toUpperCase()}` as TaskState,
        message: s.message,
        err: s.state === 'failed' ? s.message : '',
        exitCode: s.exitCode ?? 0,
        timestampUnixMs: s.at,
      },
    });
  }

  private async flushReports(): Promise<void> {
    const client = this.sessionClient;
    if (this.flushing || !client || this.sessionId === '' || this.outbox.length === 0) return;
    this.flushing = true;
    const batch = this.outbox.splice(0, REPORTS_PER_CALL_MAX);
    try {
      await new Promise<void>((resolve, reject) =>
        client.UpdateTaskStatus({ sessionId: this.sessionId, updates: batch }, { deadline: Date.now() + CALL_TIMEOUT_MS }, (err) => (err ? reject(err) : resolve())),
      );
    } catch (e) {
      this.outbox.unshift(...batch); // keep order; resent on the next session
      this.outbox.splice(0, Math.max(0, this.outbox.length - OUTBOX_MAX));
      this.opts.log.warn('agent-report-failed', { error: fromServiceError(e).message });
    } finally {
      this.flushing = false;
    }
  }

  /** Stops and forgets every task of this node (the node leaves the cluster). */
  async stopAllTasks(): Promise<void> {
    this.applying = this.applying.then(() => this.reconciler.applyComplete([]));
    await this.applying;
  }

  private async onRemoved(why: string): Promise<void> {
    this.opts.log.warn('agent-node-removed', { error: why });
    this.state = 'removed';
    await this.applying.catch(() => undefined);
    await this.reconciler.applyComplete([]); // stops every task and forgets it
  }
}

/** A task as the dispatcher sends it, as the executor runs it. */
export function toAssignment(t: Task__Output): Assignment {
  const env: Record<string, string> = {};
  for (const e of t.spec?.env ?? []) {
    const i = e.indexOf('=');
    if (i > 0) env[e.slice(0, i)] = e.slice(i + 1);
  }
  const image = t.spec?.image ?? '';
  const spec: TaskSpec = {
    id: t.id,
    ...(image !== '' ? { image, pull: (t.spec?.pull || 'missing') as PullPolicy } : {}),
    command: t.spec?.command ?? '',
    args: t.spec?.args ?? [],
    env,
    attachments: t.attachments.map((a) => ({
      network: a.networkName,
      networkId: a.networkId,
      address: a.address,
      gateway: a.gateway,
      subnet: a.subnet,
      vxlanId: Number(a.vxlanId),
      ...(a.internal ? { internal: true } : {}),
      ...(a.mtu > 0 ? { mtu: a.mtu } : {}),
    })),
  };
  return { spec, desired: t.desiredState === 'TASK_STATE_RUNNING' ? 'running' : 'shutdown' };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Leaves a Connect session on purpose: the goodbye tells the manager this node is alive (so it
 * is not marked down as if its process had died). Settles when the manager ended the call, or
 * after GOODBYE_TIMEOUT_MS, when the stream is cancelled (the manager may be gone).
 */
function sayGoodbye(stream: grpc.ClientDuplexStream<SessionStreamRequest, SessionMessage__Output>, reason: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      stream.cancel();
      resolve();
    }, GOODBYE_TIMEOUT_MS);
    stream.on('status', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      stream.write({ goodbye: { reason } } satisfies SessionStreamRequest);
      stream.end();
    } catch {
      // already finished
    }
  });
}
