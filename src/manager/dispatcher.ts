/**
 * The Dispatcher service and the leader's background loops.
 *
 * Only the leader dispatches (as in swarm): a follower answers every call with
 * UNAVAILABLE and a message naming the leader ("… the leader is at HOST:PORT"),
 * which the agent parses to reconnect there. Sessions live in the leader's
 * memory; a new leader starts with none and gives every node a grace (six heartbeat
 * periods, at least 10 s: leadership-grace.ts) to open a new session before marking it down.
 * A session on Connect whose stream breaks without the worker's goodbye (its
 * process died) marks the node down after a short grace instead (session-loss.ts).
 *
 * Writes are batched: node liveness (node.status) and task status
 * (task.status) queue up and go out as one Raft entry per flush.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import type { AssignmentsMessage } from '../generated/shoal/v1/AssignmentsMessage.js';
import type { DispatcherHandlers } from '../generated/shoal/v1/Dispatcher.js';
import type { SessionMessage } from '../generated/shoal/v1/SessionMessage.js';
import type { SessionRequest__Output } from '../generated/shoal/v1/SessionRequest.js';
import type { SessionStreamRequest__Output } from '../generated/shoal/v1/SessionStreamRequest.js';
import { loadProtos } from '../proto/load.js';
import { ShoalError } from '../errors.js';
import { AssignmentsStream } from './assignments-stream.js';
import { NamesHub, namesHandler } from './names-stream.js';
import { eventBounds, eventsAfter } from './store/events.js';
import { nodesOfTasks } from './store/task-queries.js';
import { toServiceError, unary } from './grpc-util.js';
import type { Manager } from './manager.js';
import { nodeToProto } from './node-view.js';
import { Orchestrator } from './orchestrator.js';
import { taskStateFromProto } from './service-view.js';
import { checkedDataPathAddr, storedDataPathAddr } from './store/dataplane-schema.js';
import type { NodeStatusUpdate } from './store/commands.js';
import { containerById } from './store/network-queries.js';
import { nodeLiveness, resolveNode } from './store/queries.js';
import { stmt } from './store/statements.js';
import { TASK_BATCH_ITEMS_MAX, type TaskStatusItem } from './store/task-commands.js';
import { WriteBatcher } from './write-batcher.js';
import { PeerTables } from './peer-tables.js';
import { callerOf } from '../security/authz.js';
import { RotationRecorder } from './ca-rotation-driver.js';
import { HeartbeatFacts, SentFacts } from './heartbeat-answers.js';
import { BrokenSessions, SESSION_LOSS_GRACE_MS_DEFAULT } from './session-loss.js';
import { PingLiveness } from './heartbeat-pings.js';
import { HEARTBEAT_PERIODS_DOWN, overdueSilenceMs } from './leadership-grace.js';

export { HEARTBEAT_PERIODS_DOWN, HEARTBEAT_PERIODS_DOWN_AFTER_ELECTION } from './leadership-grace.js';
/** How often queued status writes are flushed, and assignment streams polled. */
export const FLUSH_MS = 100;
/** How often the leader looks for nodes whose heartbeats stopped (and for removed nodes). */
const NODE_SCAN_MS = 250;
/**
 * How often the connections of PING sessions are checked for traffic. Each look reads every watched
 * connection's byte count; a node is marked down after three periods (3 s by default), so half a
 * second of resolution is plenty, and the looks cost the leader 2.5 times less than at 200 ms.
 */
const PING_POLL_MS = 500;
/** Events fanned out per tick: a burst (a 10,000-task service) drains in a few ticks. */
const FANOUT_EVENTS_MAX = 5_000;
/** Bound on sessions one leader holds. */
const SESSIONS_MAX = 10_000;
/** Bound on task-status updates queued across all workers. */
const STATUS_QUEUED_MAX = 100_000;
/** Updates one UpdateTaskStatus call may carry. */
export const STATUS_UPDATES_PER_CALL_MAX = 1_000;

/** A call a session's end is told to: its Session or Connect stream, its Assignments and Names streams. */
type SessionCall = grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;

interface Session {
  readonly id: string;
  readonly nodeId: string;
  lastSeenMs: number;
  readonly streams: Set<SessionCall>;
  readonly assignments: Set<AssignmentsStream>;
  /** A Connect session whose heartbeats are PINGs: sends it what changed (nobody asks), and its end stops counting PINGs. */
  pings?: { push(): void; detach(): void };
}

export class Dispatcher {
  private readonly sessions = new Map<string, Session>();
  private readonly sessionByNode = new Map<string, string>();
  /** Last time each node was heard from (or the start of this leadership: the grace). */
  private readonly lastSeen = new Map<string, number>();
  private readonly downQueued = new Set<string>();
  private leaderSinceMs = 0;
  private lastNodeScanMs = 0;
  /** The last event sequence handed to the assignments streams. */
  private eventsSeq = 0;
  private lastTickMs = 0;
  private timers: NodeJS.Timeout[] = [];
  private orchestrator: Orchestrator | null = null;
  /** Service discovery: the Names streams of the sessions (names-stream.ts). */
  private readonly namesHub = new NamesHub(() => this.m.store.db);
  /** Data-path addresses the nodes reported at session start (this leadership's; others fall back to their advertise host). */
  private readonly dataPathAddrs = new Map<string, string>();
  private readonly rotation: RotationRecorder;
  private readonly peerTables = new PeerTables(() => this.m.store.db, (id) => this.reportedDataPathAddr(id));
  private peersMoved = false;
  /** Nodes whose Connect stream broke without a goodbye, waiting out the reconnect grace. */
  private readonly broken = new BrokenSessions();
  /** What heartbeats are answered with (and sessions opened with), read from the store once per change that matters. */
  private readonly facts: HeartbeatFacts;
  /** HTTP/2 PINGs as heartbeats (heartbeat-pings.ts). */
  private readonly pingLiveness = new PingLiveness();
  /** The facts the PING sessions were last checked against, and when (pushFacts). */
  private pushedFacts: object | null = null;
  private lastPushMs = 0;
  private lastPingPollMs = 0;
  readonly nodeStatus: WriteBatcher<NodeStatusUpdate>;
  readonly taskStatus: WriteBatcher<TaskStatusItem>;

  constructor(private readonly m: Manager) {
    const opts = { flushMs: FLUSH_MS, batchItemsMax: TASK_BATCH_ITEMS_MAX, queuedItemsMax: STATUS_QUEUED_MAX };
    this.nodeStatus = new WriteBatcher((updates) => m.write({ op: 'node.status', at: Date.now(), updates }), opts);
    this.taskStatus = new WriteBatcher((updates) => m.write({ op: 'task.status', at: Date.now(), updates }), opts);
    this.rotation = new RotationRecorder(m, m.log);
    this.facts = new HeartbeatFacts(() => m.store.db, () => m.store.generation, () => m.shell.leaderId);
    // Names follow each applied entry, not the next 100 ms poll (names-stream.ts).
    m.shell.onEvent((e) => e.type === 'applied' && this.namesHub.kick());
  }

  heartbeatMs(): number {
    return this.facts.current().heartbeatMs;
  }

  /** How long a node whose session stream broke has to open a new session before it is marked down. */
  sessionLossGraceMs(): number {
    return this.facts.current().sessionLossGraceMs ?? SESSION_LOSS_GRACE_MS_DEFAULT;
  }

  /** Starts the loop that follows leadership; returns its stop function. */
  startLoops(): () => void {
    this.timers.push(setInterval(() => this.tick(), FLUSH_MS));
    return () => {
      for (const t of this.timers) clearInterval(t);
      this.timers = [];
      this.stepDown('this manager is shutting down');
    };
  }

  private tick(): void {
    const leading = this.m.shell.isLeader;
    if (leading && this.leaderSinceMs === 0) this.stepUp();
    else if (!leading && this.leaderSinceMs !== 0) this.stepDown('this manager is no longer the leader');
    if (!leading) return;
    this.checkLiveness(Date.now());
    this.fanOutEvents();
    this.pushFacts(Date.now());
  }

  /**
   * Sessions that heartbeat by PING send a message only every few periods, so what their
   * heartbeat answers would say (a promotion, a new manager list, CA roots, the period) is sent
   * to them when it changes. Checked at most twice a period: a node's role costs a read the first
   * time it is asked at each store generation.
   */
  private pushFacts(now: number): void {
    const facts = this.facts.current();
    if (facts === this.pushedFacts || now - this.lastPushMs < facts.heartbeatMs / 2) return;
    this.pushedFacts = facts;
    this.lastPushMs = now;
    for (const s of this.sessions.values()) s.pings?.push();
  }

  /** Reads new events once and hands them to every assignments stream (see SharedEvents). */
  private fanOutEvents(): void {
    if (this.sessions.size === 0) return;
    const db = this.m.store.db;
    const events = eventsAfter(db, this.eventsSeq, FANOUT_EVENTS_MAX);
    if (events.length > 0 || this.peersMoved) this.peerTables.invalidate();
    if (this.peersMoved && events.length === 0) {
      for (const s of this.sessions.values()) for (const a of s.assignments) a.refreshPeers();
    }
    this.peersMoved = false;
    if (events.length > 0 && events[0]!.seq !== this.eventsSeq + 1) {
      // Events were pruned past where the fan-out stood: every stream resynchronises on its own.
      this.eventsSeq = events[events.length - 1]!.seq;
      for (const s of this.sessions.values()) for (const a of s.assignments) a.poll();
      return;
    }
    if (events.length === 0) {
      // Nothing new: only a stream that is not where the fan-out is (it started meanwhile) reads for itself.
      for (const s of this.sessions.values()) for (const a of s.assignments) if (a.seq !== this.eventsSeq) a.poll();
      return;
    }
    const shared = { afterSeq: this.eventsSeq, events, nodeOfTask: nodesOfTasks(db, events.filter((e) => e.kind === 'task').map((e) => e.objectId)) };
    this.eventsSeq = events[events.length - 1]!.seq;
    for (const s of this.sessions.values()) for (const a of s.assignments) a.poll(shared);
  }

  private stepUp(): void {
    this.eventsSeq = eventBounds(this.m.store.db).newest;
    this.leaderSinceMs = Date.now();
    this.lastTickMs = 0;
    this.lastSeen.clear();
    this.downQueued.clear();
    this.broken.clear();
    this.orchestrator = new Orchestrator(this.m);
    this.orchestrator.start();
    this.m.log.info('dispatcher-leading', {});
  }

  private stepDown(why: string): void {
    this.leaderSinceMs = 0;
    this.broken.clear();
    this.orchestrator?.stop();
    this.orchestrator = null;
    for (const s of [...this.sessions.values()]) this.endSession(s, { code: grpc.status.UNAVAILABLE, details: `${why}; ${this.leaderHint()}` });
    const e = new ShoalError('UNAVAILABLE', `${why}; ${this.leaderHint()}`);
    this.nodeStatus.failAll(e);
    this.taskStatus.failAll(e);
  }

  /** "the leader is at HOST:PORT" (parsed by agents), or that none is known. */
  leaderHint(): string {
    try {
      const addr = this.m.leaderAddr();
      if (addr !== this.m.config.advertiseAddr || !this.m.shell.isLeader) return `the leader is at ${addr}`;
    } catch {
      // no leader known
    }
    return 'no leader is known right now; retry shortly';
  }

  private checkLiveness(now: number): void {
    const deadMs = this.heartbeatMs() * HEARTBEAT_PERIODS_DOWN;
    // A stall of this process's own event loop is not the workers' fault: time lost to it is
    // credited back, so one long pause (a big apply, GC) cannot mark every node down at once.
    const lagMs = this.lastTickMs === 0 ? 0 : now - this.lastTickMs - FLUSH_MS;
    this.lastTickMs = now;
    if (lagMs > FLUSH_MS) {
      for (const s of this.sessions.values()) s.lastSeenMs += lagMs;
      for (const [id, t] of this.lastSeen) this.lastSeen.set(id, t + lagMs);
      this.broken.credit(lagMs);
      this.leaderSinceMs += lagMs;
    }
    if (this.broken.size > 0) this.downBrokenSessions(now);
    // PING heartbeats: connections that received anything since the last look (a few times a second).
    if (now - this.lastPingPollMs >= PING_POLL_MS) {
      this.lastPingPollMs = now;
      this.pingLiveness.refresh(now);
    }
    for (const s of [...this.sessions.values()]) {
      if (now - s.lastSeenMs > deadMs) this.endSession(s, { code: grpc.status.NOT_FOUND, details: 'the session expired (no heartbeat); open a new one' });
    }
    // The node scan costs a read of every node: a few times per heartbeat period is enough.
    if (now - this.lastNodeScanMs < NODE_SCAN_MS) return;
    this.lastNodeScanMs = now;
    const nodes = nodeLiveness(this.m.store.db);
    const present = new Set(nodes.map((n) => n.id));
    for (const s of [...this.sessions.values()]) {
      // A removed node learns it at once, not at its next heartbeat.
      if (!present.has(s.nodeId)) this.endSession(s, { code: grpc.status.PERMISSION_DENIED, details: removedMessage(s.nodeId) });
    }
    const down: NodeStatusUpdate[] = [];
    for (const n of nodes) {
      if (n.status !== 'ready') {
        this.downQueued.delete(n.id);
        continue;
      }
      if (this.sessionByNode.has(n.id) || this.downQueued.has(n.id)) continue;
      const silentMs = overdueSilenceMs({ lastSeenMs: this.lastSeen.get(n.id) ?? 0 }, { nowMs: now, leaderSinceMs: this.leaderSinceMs, heartbeatMs: this.heartbeatMs() });
      if (silentMs === null) continue;
      this.downQueued.add(n.id);
      down.push({ id: n.id, status: 'down', message: `no heartbeat for ${Math.round(silentMs / 1000)} s` });
    }
    this.queueDown(down);
  }

  /** Nodes whose session stream broke and that did not open a new session within the grace. */
  private downBrokenSessions(now: number): void {
    const db = this.m.store.db;
    const down: NodeStatusUpdate[] = [];
    for (const b of this.broken.takeExpired(now, this.sessionLossGraceMs())) {
      if (this.sessionByNode.has(b.nodeId) || this.downQueued.has(b.nodeId)) continue;
      const row = stmt(db, 'SELECT status FROM nodes WHERE id = ?').get(b.nodeId) as { status: string } | undefined;
      if (row?.status !== 'ready') continue;
      this.downQueued.add(b.nodeId);
      down.push({ id: b.nodeId, status: 'down', message: `its session stream broke ${((now - b.brokeAtMs) / 1000).toFixed(1)} s ago (process or connection lost) and it did not reconnect` });
    }
    this.queueDown(down);
  }

  private queueDown(down: NodeStatusUpdate[]): void {
    if (down.length === 0) return;
    // One line per node: tests count these to prove no live node was marked down.
    for (const d of down) this.m.log.info('node-marked-down', { nodeId: d.id, why: d.message ?? '' });
    this.nodeStatus.add(down).catch(() => {
      for (const d of down) this.downQueued.delete(d.id);
    });
  }

  private endSession(s: Session, status: Partial<grpc.StatusObject>): void {
    this.sessions.delete(s.id);
    if (this.sessionByNode.get(s.nodeId) === s.id) this.sessionByNode.delete(s.nodeId);
    this.lastSeen.set(s.nodeId, s.lastSeenMs);
    s.pings?.detach();
    for (const st of s.streams) st.emit('error', status);
    s.streams.clear();
    s.assignments.clear();
  }

  /** A node's data-path address as it reported it; peers' tables follow a change. */
  private noteDataPathAddr(nodeId: string, addr: string): void {
    const before = this.dataPathAddrs.get(nodeId);
    if (addr === '' ? before === undefined : before === addr) return;
    if (addr === '') this.dataPathAddrs.delete(nodeId);
    else this.dataPathAddrs.set(nodeId, addr);
    this.peersMoved = true;
  }

  /** This leader's session report first (it precedes the write's commit), else the replicated one. */
  reportedDataPathAddr(nodeId: string): string | null {
    return this.dataPathAddrs.get(nodeId) ?? storedDataPathAddr(this.m.store.db, nodeId);
  }

  /**
   * The session for an ID, or the error a worker acts on. `metadata` is the call's: a caller
   * with a certificate may use only a session of its own node (a session ID is a secret, but
   * a leaked one must not let another node heartbeat or report for this one).
   */
  session(sessionId: string, metadata?: grpc.Metadata): Session {
    if (!this.m.shell.isLeader) throw new ShoalError('UNAVAILABLE', `this manager is not the leader; ${this.leaderHint()}`);
    const s = this.sessions.get(sessionId);
    if (!s) throw new ShoalError('NOT_FOUND', `session ${sessionId || '(none)'} is not known (it expired, or leadership changed); open a new session`);
    if (!stmt(this.m.store.db, 'SELECT 1 FROM nodes WHERE id = ?').get(s.nodeId)) {
      this.endSession(s, { code: grpc.status.PERMISSION_DENIED, details: removedMessage(s.nodeId) });
      throw new ShoalError('PERMISSION_DENIED', removedMessage(s.nodeId));
    }
    const caller = metadata ? callerOf(metadata) : null;
    if (caller && caller.id !== s.nodeId) throw new ShoalError('PERMISSION_DENIED', `session ${sessionId} is node ${s.nodeId}'s: the certificate of node ${caller.id} cannot use it`);
    return s;
  }

  handlers(): DispatcherHandlers {
    return {
      Session: (call) => {
        call.on('error', () => undefined);
        this.openSession(call, call.request, () => false);
      },
      Connect: (call) => this.connect(call),
      // Through a promise, so a thrown session error becomes the call's status.
      Heartbeat: unary((req, call) =>
        Promise.resolve().then(() => {
          const s = this.session(req.sessionId, call.metadata);
          s.lastSeenMs = Date.now();
          // CA rotation: who holds a new-root certificate, and what every node should hold.
          this.rotation.note(s.nodeId, req.certRootDigest ?? '', this.facts.current().rotationDigest);
          return this.facts.unaryAnswer(s.nodeId);
        }),
      ),
      Assignments: (call) => {
        call.on('error', () => undefined);
        try {
          const s = this.session(call.request.sessionId, call.metadata);
          const stream = new AssignmentsStream(() => this.m.store.db, s.nodeId, randomBytes(4).toString('hex'), (msg: AssignmentsMessage) => call.write(msg), this.peerTables.source);
          s.streams.add(call);
          s.assignments.add(stream);
          call.on('cancelled', () => {
            s.streams.delete(call);
            s.assignments.delete(stream);
          });
          stream.start();
        } catch (e) {
          call.emit('error', toServiceError(e));
        }
      },
      Names: namesHandler(this, this.namesHub),
      UpdateTaskStatus: unary(async (req, call) => {
        const s = this.session(req.sessionId, call.metadata);
        if (req.updates.length > STATUS_UPDATES_PER_CALL_MAX) {
          throw new ShoalError('INVALID_ARGUMENT', `updates: at most ${STATUS_UPDATES_PER_CALL_MAX} per call, got ${req.updates.length}`);
        }
        const items: TaskStatusItem[] = req.updates.map((u, i) => ({
          taskId: u.taskId,
          nodeId: s.nodeId,
          state: taskStateFromProto(`updates[${i}].status.state`, u.status?.state),
          message: u.status?.message ?? '',
          err: u.status?.err ?? '',
          exitCode: u.status?.exitCode ?? 0,
          at: Number(u.status?.timestampUnixMs ?? 0) || Date.now(),
        }));
        const db = this.m.store.db;
        const containers = items.filter((u) => containerById(db, u.taskId)?.nodeId === s.nodeId);
        await Promise.all([this.taskStatus.add(items.filter((u) => !containers.includes(u))), ...containers.map((u) => this.containerStatus(u))]);
        return {};
      }),
    };
  }

  /**
   * A standalone container's run, reported like a task's, becomes its container state:
   * running, then exited (with the exit code). Only forward; one write per change (rare).
   */
  private async containerStatus(u: TaskStatusItem): Promise<void> {
    const c = containerById(this.m.store.db, u.taskId);
    if (!c) return;
    const next = u.state === 'running' ? 'running' : u.state === 'complete' || u.state === 'failed' || u.state === 'shutdown' ? 'exited' : null;
    if (next === null || next === c.state || c.state === 'exited' || c.state === 'dead') return;
    await this.m.write({ op: 'container.update', at: Date.now(), id: c.id, version: 0, state: next, exitCode: u.exitCode, labelsAdd: {}, labelsRemove: [] });
  }

  /**
   * Dispatcher.Connect: the session and its heartbeats on one stream. A heartbeat costs the
   * leader one small message each way instead of a whole unary call. A stream that ends without
   * the worker's goodbye (its process died, its connection broke: the stream is reset or cut)
   * starts the session-loss grace for its node.
   */
  private connect(call: grpc.ServerDuplexStream<SessionStreamRequest__Output, SessionMessage>): void {
    call.on('error', () => undefined);
    let session: Session | null = null;
    let saidGoodbye = false;
    const sent = new SentFacts();
    const refuse = (details: string): void => {
      if (session && this.sessions.get(session.id) === session) this.endSession(session, { code: grpc.status.INVALID_ARGUMENT, details });
      else call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details });
    };
    const leave = (): void => {
      const s = session;
      if (!s || this.sessions.get(s.id) !== s) return; // refused or ended: the call has its status
      if (!saidGoodbye && this.m.shell.isLeader) this.broken.noteBroken(s.nodeId, Date.now());
      s.streams.delete(call);
      this.endSession(s, { code: grpc.status.CANCELLED, details: 'the session stream ended' });
      call.end();
    };
    call.on('data', (msg: SessionStreamRequest__Output) => {
      if (session === null) {
        if (msg.kind !== 'open' || !msg.open) return refuse('the first message on Connect must be `open`');
        session = this.openSession(call, msg.open, () => !saidGoodbye, sent);
        return;
      }
      if (msg.kind === 'goodbye') {
        saidGoodbye = true;
        return leave();
      }
      if (msg.kind !== 'heartbeat') return refuse('a Connect stream opens one session; later messages must be heartbeats or a goodbye');
      if (this.sessions.get(session.id) !== session) return; // it ended; the stream's status said why
      session.lastSeenMs = Date.now();
      // CA rotation: who holds a new-root certificate, and what every node should hold.
      this.rotation.note(session.nodeId, msg.heartbeat?.certRootDigest ?? '', this.facts.current().rotationDigest);
      call.write(sent.answer(this.facts, session.nodeId, session.lastSeenMs));
    });
    // A reset stream may surface as its end before (or instead of) its cancellation.
    call.on('end', leave);
  }

  /**
   * Opens a session for `request` on `call` (Session or Connect); null if refused (the call has
   * ended with the reason). `streamBreakCounts`: whether a cancelled call now means the worker
   * is gone (Connect without a goodbye) rather than telling nothing.
   */
  private openSession(
    call: grpc.ServerWritableStream<unknown, SessionMessage> | grpc.ServerDuplexStream<unknown, SessionMessage>,
    request: Pick<SessionRequest__Output, 'nodeId' | 'description'>,
    streamBreakCounts: () => boolean,
    /** Connect only: what the session was told, for the facts sent to it unasked once its heartbeats are PINGs. */
    sent?: SentFacts,
  ): Session | null {
    try {
      if (!this.m.shell.isLeader) throw new ShoalError('UNAVAILABLE', `this manager is not the leader; ${this.leaderHint()}`);
      const nodeId = request.nodeId;
      const db = this.m.store.db;
      if (!stmt(db, 'SELECT 1 FROM nodes WHERE id = ?').get(nodeId)) throw new ShoalError('PERMISSION_DENIED', removedMessage(nodeId));
      if (this.sessions.size >= SESSIONS_MAX) throw new ShoalError('RESOURCE_EXHAUSTED', `this manager holds ${SESSIONS_MAX} sessions; retry later`);
      const previous = this.sessionByNode.get(nodeId);
      const prev = previous ? this.sessions.get(previous) : undefined;
      if (prev) this.endSession(prev, { code: grpc.status.NOT_FOUND, details: 'a newer session of this node replaced this one' });
      const s: Session = { id: randomBytes(16).toString('hex'), nodeId, lastSeenMs: Date.now(), streams: new Set(), assignments: new Set() };
      s.streams.add(call);
      this.sessions.set(s.id, s);
      this.sessionByNode.set(nodeId, s.id);
      this.broken.forget(nodeId);
      call.on('cancelled', () => {
        if (this.sessions.get(s.id) !== s) return;
        if (streamBreakCounts() && this.m.shell.isLeader) this.broken.noteBroken(nodeId, Date.now());
        this.endSession(s, { code: grpc.status.CANCELLED, details: 'cancelled' });
      });
      const d = request.description;
      const update: NodeStatusUpdate = {
        id: nodeId,
        status: 'ready',
        message: 'session opened',
        ...(d
          ? {
              description: {
                hostname: d.hostname,
                os: d.platform?.os ?? '',
                arch: d.platform?.arch ?? '',
                engine: d.engine ?? '',
                // Replicated (nodes.data_path_addr): a new leader serves peer tables with it at once.
                dataPathAddr: checkedDataPathAddr(d.dataPathAddr),
                nanoCpus: Number(d.resources?.nanoCpus ?? 0) || hostResources().nanoCpus,
                memoryBytes: Number(d.resources?.memoryBytes ?? 0) || hostResources().memoryBytes,
              },
            }
          : {}),
      };
      this.downQueued.delete(nodeId);
      this.noteDataPathAddr(nodeId, checkedDataPathAddr(d?.dataPathAddr));
      this.nodeStatus.add([update]).catch((e: unknown) => this.m.log.warn('node-ready-write-failed', { nodeId, error: String(e) }));
      const facts = this.facts.current();
      const node = resolveNode(db, nodeId);
      const pinged = sent !== undefined && this.pingLiveness.attach(call, s);
      if (pinged) {
        s.pings = {
          push: () => {
            const msg = sent.changes(this.facts, nodeId, Date.now());
            if (msg) call.write(msg);
          },
          detach: () => this.pingLiveness.detach(call, s),
        };
      }
      call.write({ sessionId: s.id, managers: facts.managers, heartbeatPeriodMs: facts.heartbeatMs, node: nodeToProto(node, { leaderRaftId: this.m.shell.leaderId }), dataPathPort: facts.dataPathPort, heartbeatPings: pinged });
      return s;
    } catch (e) {
      call.emit('error', toServiceError(e));
      return null;
    }
  }
}

export function dataPathAddrOf(m: Manager, nodeId: string): string | null {
  return dispatcherOf(m).reportedDataPathAddr(nodeId);
}

let hostResourcesCache: { nanoCpus: number; memoryBytes: number } | null = null;

/**
 * This host's resources: the default for a node that reports none (agents of an early version).
 * Read once: os.cpus() parses /proc/cpuinfo and /proc/stat, too slow for every session of a storm.
 */
function hostResources(): { nanoCpus: number; memoryBytes: number } {
  hostResourcesCache ??= { nanoCpus: cpus().length * 1e9, memoryBytes: totalmem() };
  return hostResourcesCache;
}

function removedMessage(nodeId: string): string {
  return `node ${nodeId} was removed from the cluster; join it again with \`shoal join\``;
}

const dispatchers = new WeakMap<Manager, Dispatcher>();

/** The manager's dispatcher (the log broker looks up sessions there). */
export function dispatcherOf(m: Manager): Dispatcher {
  let d = dispatchers.get(m);
  if (!d) {
    d = new Dispatcher(m);
    dispatchers.set(m, d);
  }
  return d;
}

export function addDispatcherServices(server: grpc.Server, m: Manager): void {
  server.addService(loadProtos().grpcObject.shoal.v1.Dispatcher.service, dispatcherOf(m).handlers());
}

/** Starts the loops that run while this manager leads; returns a stop function. */
export function startLeaderLoops(m: Manager): () => void {
  return dispatcherOf(m).startLoops();
}
