/**
 * The Logs service (docs/design/logs.md): relays task output from the nodes
 * that hold it to the clients that ask, as swarm's log broker does.
 *
 * The leader holds every agent's dispatcher session, so the leader is where a
 * subscription is served: it resolves the selected tasks, groups them by node
 * and asks each node over that node's ListenLogSubscriptions stream; the nodes
 * answer with one PublishLogs call each, and the leader passes their lines on.
 * A follower that receives SubscribeLogs forwards the whole stream to the
 * leader (one hop, marked, like a write), so `logs` works on every manager.
 *
 * Nothing is silently missing: a node that is down, not connected, or that
 * stops sending is named in a warning on the stream. Without --follow the
 * stream ends when every asked node has finished, or when none has sent
 * anything for ANSWER_MS, with a warning naming the nodes that did not finish.
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import type { ListenLogSubscriptionsRequest__Output } from '../generated/shoal/v1/ListenLogSubscriptionsRequest.js';
import type { LogOptions } from '../generated/shoal/v1/LogOptions.js';
import type { LogsClient, LogsHandlers } from '../generated/shoal/v1/Logs.js';
import type { LogSource } from '../generated/shoal/v1/LogSource.js';
import type { LogSubscription } from '../generated/shoal/v1/LogSubscription.js';
import type { PublishLogsRequest__Output } from '../generated/shoal/v1/PublishLogsRequest.js';
import type { PublishLogsResponse } from '../generated/shoal/v1/PublishLogsResponse.js';
import type { SubscribeLogsMessage } from '../generated/shoal/v1/SubscribeLogsMessage.js';
import type { SubscribeLogsRequest__Output } from '../generated/shoal/v1/SubscribeLogsRequest.js';
import { ShoalError } from '../errors.js';
import { loadProtos } from '../proto/load.js';
import { callerOf, setCaller, type Caller } from '../security/authz.js';
import { dispatcherOf } from './dispatcher.js';
import { FORWARDED_KEY, wasForwarded } from './forward.js';
import { fromServiceError, isFromShoalServer, toServiceError } from './grpc-util.js';
import type { Manager } from './manager.js';
import { resolveContainer } from './store/network-queries.js';
import { listNodes, type NodeRecord } from './store/queries.js';
import { resolveService, serviceById, tasksOfService } from './store/service-queries.js';

/** Without --follow: how long the stream waits for the next message from the nodes before it ends without them. */
export const ANSWER_MS = 15_000;
/** How often a manager with subscriptions checks that it still leads (they end when it does not). */
const LEADERSHIP_CHECK_MS = 250;
/** Bound on subscriptions one leader serves at once. */
const SUBSCRIPTIONS_MAX = 1_000;

type ClientStream = grpc.ServerWritableStream<SubscribeLogsRequest__Output, SubscribeLogsMessage>;
type ListenStream = grpc.ServerWritableStream<ListenLogSubscriptionsRequest__Output, LogSubscription>;

interface Listener {
  readonly nodeId: string;
  readonly call: ListenStream;
}

interface Subscription {
  readonly id: string;
  readonly call: ClientStream;
  readonly follow: boolean;
  /** The selected tasks by ID, with where they ran. */
  readonly sources: Map<string, LogSource>;
  /** Following a service: its ID (tasks that start later are added); else ''. */
  readonly serviceId: string;
  readonly options: LogOptions;
  /** Nodes asked and not finished yet. */
  readonly pending: Set<string>;
  /** Answers the nodes' PublishLogs calls early (the client went away). */
  readonly publishers: Set<() => void>;
  timer: NodeJS.Timeout | null;
  ended: boolean;
}

/** Following a service: how often its tasks are looked up again for ones that started since. */
const FOLLOW_REFRESH_MS = 1_000;

export class LogBroker {
  private readonly listeners = new Map<string, Listener>();
  private readonly subs = new Map<string, Subscription>();
  private leadershipTimer: NodeJS.Timeout | null = null;

  constructor(private readonly m: Manager) {}

  handlers(): LogsHandlers {
    return {
      SubscribeLogs: (call) => this.subscribe(call),
      ListenLogSubscriptions: (call) => this.listen(call),
      PublishLogs: (call, callback) => this.publish(call, callback),
    };
  }

  // ---- clients ---------------------------------------------------------------------------------

  private subscribe(call: ClientStream): void {
    call.on('error', () => undefined);
    try {
      if (!this.m.shell.isLeader) return this.forward(call);
      if (this.subs.size >= SUBSCRIPTIONS_MAX) throw new ShoalError('RESOURCE_EXHAUSTED', `this manager serves ${SUBSCRIPTIONS_MAX} log subscriptions; retry later`);
      const options = optionsOf(call.request);
      const sources = this.select(call.request);
      readableBy(callerOf(call.metadata), sources, call.request);
      const follow = options.follow === true;
      const serviceId = follow && call.request.service !== '' ? resolveService(this.m.store.db, call.request.service).id : '';
      const sub: Subscription = { id: randomBytes(8).toString('hex'), call, follow, sources, serviceId, options, pending: new Set(), publishers: new Set(), timer: null, ended: false };
      this.subs.set(sub.id, sub);
      this.watchLeadership();
      call.on('cancelled', () => this.end(sub));
      this.ask(sub, sources, options);
      if (sub.serviceId !== '') sub.timer = setInterval(() => this.addStartedTasks(sub), FOLLOW_REFRESH_MS);
      if (!sub.follow) {
        if (sub.pending.size === 0) return this.end(sub);
        this.awaitNodes(sub);
      }
    } catch (e) {
      call.emit('error', toServiceError(e));
    }
  }

  /** Without --follow: (re)starts the wait for the next message; a long log keeps the stream open as long as it flows. */
  private awaitNodes(sub: Subscription): void {
    if (sub.follow || sub.ended) return;
    if (sub.timer) clearTimeout(sub.timer);
    sub.timer = setTimeout(() => {
      for (const nodeId of sub.pending) this.warn(sub, `node ${nodeName(this.m, nodeId)} sent nothing for ${ANSWER_MS / 1000} s and did not finish; what it sent is above`);
      this.end(sub);
    }, ANSWER_MS);
  }

  /** Asks the nodes holding `sources` for their lines; names the nodes that cannot be asked. */
  private ask(sub: Subscription, sources: ReadonlyMap<string, LogSource>, options: LogOptions): void {
    const nodes = listNodes(this.m.store.db);
    for (const [nodeId, tasks] of byNode(sources)) {
      const listener = this.listeners.get(nodeId);
      if (!listener) {
        this.warn(sub, unreachable(nodes.find((n) => n.id === nodeId), nodeId, tasks));
        continue;
      }
      sub.pending.add(nodeId);
      listener.call.write({ id: sub.id, taskIds: tasks.map((t) => t.taskId ?? ''), options, cancel: false });
    }
  }

  /** Following a service, as docker does: tasks placed since the last look (restarts, scale-up, updates) are followed too, from their first line. */
  private addStartedTasks(sub: Subscription): void {
    if (sub.ended || !this.m.shell.isLeader) return;
    const db = this.m.store.db;
    const service = serviceById(db, sub.serviceId);
    if (!service) return;
    const names = new Map(listNodes(db).map((n) => [n.id, n.hostname]));
    const added = new Map<string, LogSource>();
    for (const t of tasksOfService(db, service.id)) {
      if (t.nodeId === '' || sub.sources.has(t.id)) continue;
      const source = { taskId: t.id, taskName: `${service.name}.${t.slot > 0 ? String(t.slot) : t.nodeId}`, nodeId: t.nodeId, nodeName: names.get(t.nodeId) ?? t.nodeId };
      added.set(t.id, source);
      sub.sources.set(t.id, source);
    }
    if (added.size > 0) this.ask(sub, added, { ...sub.options, hasTail: false, tail: 0 });
  }

  /** The tasks a request selects, with their node; a task never placed on a node has no output. */
  private select(req: SubscribeLogsRequest__Output): Map<string, LogSource> {
    const db = this.m.store.db;
    const names = new Map(listNodes(db).map((n) => [n.id, n.hostname]));
    const sources = new Map<string, LogSource>();
    if ((req.service === '') === (req.container === '')) throw new ShoalError('INVALID_ARGUMENT', 'name exactly one of service and container');
    if (req.service !== '') {
      const s = resolveService(db, req.service);
      for (const t of tasksOfService(db, s.id)) {
        if (t.nodeId === '') continue;
        sources.set(t.id, { taskId: t.id, taskName: `${s.name}.${t.slot > 0 ? String(t.slot) : t.nodeId}`, nodeId: t.nodeId, nodeName: names.get(t.nodeId) ?? t.nodeId });
      }
    } else {
      const c = resolveContainer(db, req.container, 'container');
      sources.set(c.id, { taskId: c.id, taskName: c.name || c.id, nodeId: c.nodeId, nodeName: names.get(c.nodeId) ?? c.nodeId });
    }
    return sources;
  }

  private warn(sub: Subscription, warning: string): void {
    if (!sub.ended) sub.call.write({ warning });
  }

  /** Ends a subscription: tells the nodes still sending, answers their calls, ends the client's stream. */
  private end(sub: Subscription, status?: Partial<grpc.StatusObject>): void {
    if (sub.ended) return;
    sub.ended = true;
    this.subs.delete(sub.id);
    if (sub.timer) clearInterval(sub.timer); // (a timeout or an interval: both are cleared this way)
    for (const nodeId of sub.pending) this.listeners.get(nodeId)?.call.write({ id: sub.id, taskIds: [], cancel: true });
    for (const answer of sub.publishers) answer();
    if (status) sub.call.emit('error', status);
    else sub.call.end();
  }

  private nodeDone(sub: Subscription, nodeId: string): void {
    if (!sub.pending.delete(nodeId)) return;
    if (!sub.follow && sub.pending.size === 0) this.end(sub);
  }

  /** Subscriptions live on the leader's sessions: when this manager stops leading, they end (the client may retry). */
  private watchLeadership(): void {
    if (this.leadershipTimer) return;
    this.leadershipTimer = setInterval(() => {
      if (this.subs.size === 0) {
        clearInterval(this.leadershipTimer!);
        this.leadershipTimer = null;
        return;
      }
      if (this.m.shell.isLeader) return;
      const details = 'this manager stopped leading, so it no longer reaches the nodes; run the command again';
      for (const sub of [...this.subs.values()]) this.end(sub, { code: grpc.status.UNAVAILABLE, details });
    }, LEADERSHIP_CHECK_MS);
  }

  /** A follower passes the whole stream on to the leader (the caller's identity travels with it, as with writes). */
  private forward(call: ClientStream): void {
    if (wasForwarded(call)) throw new ShoalError('UNAVAILABLE', 'the manager that forwarded this call took this one for the leader, but it is not; retry');
    const addr = this.m.leaderAddr();
    const client: LogsClient = new (loadProtos().grpcObject.shoal.v1.Logs)(addr, this.m.opts.security.channelCredentials());
    const meta = new grpc.Metadata();
    meta.set(FORWARDED_KEY, String(this.m.config.raftId));
    setCaller(meta, callerOf(call.metadata) ?? { id: this.m.config.nodeId, role: 'manager' });
    const up = client.SubscribeLogs(call.request, meta);
    let done = false;
    const finish = (status?: Partial<grpc.StatusObject>): void => {
      if (done) return;
      done = true;
      client.close();
      if (status) call.emit('error', status);
      else call.end();
    };
    call.on('cancelled', () => {
      done = true;
      up.cancel();
      client.close();
    });
    up.on('data', (msg: SubscribeLogsMessage) => call.write(msg));
    up.on('end', () => finish());
    up.on('error', (e: grpc.ServiceError) => {
      if (isFromShoalServer(e)) return finish(toServiceError(fromServiceError(e)));
      finish({ code: grpc.status.UNAVAILABLE, details: `the leader at ${addr} stopped answering (${e.details || e.message}); run the command again` });
    });
  }

  // ---- nodes -----------------------------------------------------------------------------------

  private listen(call: ListenStream): void {
    call.on('error', () => undefined);
    try {
      const s = dispatcherOf(this.m).session(call.request.sessionId);
      ownSession(call.metadata, s.nodeId);
      // Held with the session's streams: when the session ends, so does this stream.
      s.streams.add(call);
      const listener: Listener = { nodeId: s.nodeId, call };
      this.listeners.set(s.nodeId, listener);
      let gone = false;
      const onGone = (): void => {
        if (gone) return;
        gone = true;
        s.streams.delete(call);
        if (this.listeners.get(s.nodeId) !== listener) return; // a newer session's stream took over
        this.listeners.delete(s.nodeId);
        for (const sub of [...this.subs.values()]) {
          if (!sub.pending.has(s.nodeId)) continue;
          this.warn(sub, `node ${nodeName(this.m, s.nodeId)} lost its session before it sent all of its output; what it sent is above`);
          this.nodeDone(sub, s.nodeId);
        }
      };
      call.on('cancelled', onGone);
      call.on('error', onGone);
      call.on('finish', onGone);
    } catch (e) {
      call.emit('error', toServiceError(e));
    }
  }

  private publish(call: grpc.ServerReadableStream<PublishLogsRequest__Output, PublishLogsResponse>, callback: grpc.sendUnaryData<PublishLogsResponse>): void {
    let nodeId = '';
    let sub: Subscription | null = null;
    let answered = false;
    /** A refused call does not count as the node's answer (a call that names someone else's task must not end the node's part). */
    let refused = false;
    const answer = (e?: unknown): void => {
      if (answered) return;
      answered = true;
      refused = e !== undefined;
      if (sub) sub.publishers.delete(answer);
      if (e === undefined) callback(null, {});
      else callback(toServiceError(e));
    };
    call.on('error', () => undefined);
    call.on('data', (msg: PublishLogsRequest__Output) => {
      if (answered) return;
      try {
        if (nodeId === '') {
          nodeId = dispatcherOf(this.m).session(msg.sessionId).nodeId;
          ownSession(call.metadata, nodeId);
          sub = this.subs.get(msg.subscriptionId) ?? null;
          if (!sub) return answer(); // the client went away: the node stops
          if (!sub.pending.has(nodeId)) throw new ShoalError('PERMISSION_DENIED', `node ${nodeId} was not asked for subscription ${msg.subscriptionId}`);
          sub.publishers.add(answer);
        }
        if (!sub || sub.ended) return answer();
        if (msg.subscriptionId !== sub.id) throw new ShoalError('INVALID_ARGUMENT', `one PublishLogs call carries one subscription (${sub.id}), not ${msg.subscriptionId}`);
        const source = sub.sources.get(msg.taskId);
        if (!source || source.nodeId !== nodeId) throw new ShoalError('PERMISSION_DENIED', `node ${nodeId} may only publish the output of its own tasks that were asked for; ${msg.taskId || '(no task)'} is not one`);
        this.awaitNodes(sub);
        if (msg.lines.length > 0 || msg.warning !== '') sub.call.write({ source, lines: msg.lines, warning: msg.warning === '' ? '' : `${source.taskName}@${source.nodeName}: ${msg.warning}` });
      } catch (e) {
        answer(e);
      }
    });
    call.on('end', () => {
      if (sub && !refused) this.nodeDone(sub, nodeId);
      answer();
    });
    call.on('cancelled', () => {
      if (sub && !refused && sub.pending.has(nodeId)) {
        this.warn(sub, `node ${nodeName(this.m, nodeId)} stopped sending its output; what it sent is above`);
        this.nodeDone(sub, nodeId);
      }
      answered = true;
    });
  }
}

/**
 * Admins and managers read any output; a worker certificate (the CLI on a worker without -H's
 * admin certificate) reads only containers on its own node, as it may only run containers there.
 */
function readableBy(caller: Caller | null, sources: ReadonlyMap<string, LogSource>, req: SubscribeLogsRequest__Output): void {
  if (caller?.role !== 'worker') return;
  const own = req.container !== '' && [...sources.values()].every((s) => s.nodeId === caller.id);
  if (!own) {
    throw new ShoalError('PERMISSION_DENIED', `a worker certificate may read only the output of containers on its own node (${caller.id}); for services and other nodes use an admin client certificate (\`shoal ca client-cert\` on a manager, then -H and --tls-dir)`);
  }
}

/** A node certificate may only use its own session (managers' agents included); the local socket acts as this node. */
function ownSession(metadata: grpc.Metadata, sessionNodeId: string): void {
  const caller = callerOf(metadata);
  if (caller && caller.role !== 'admin' && caller.id !== sessionNodeId) {
    throw new ShoalError('PERMISSION_DENIED', `the certificate of node ${caller.id} cannot use the session of node ${sessionNodeId}`);
  }
  if (caller?.role === 'admin') throw new ShoalError('PERMISSION_DENIED', 'an admin certificate holds no session; only node agents publish logs');
}

function optionsOf(req: SubscribeLogsRequest__Output): LogOptions {
  const o = req.options;
  const since = Number(o?.sinceUnixMs ?? 0);
  if (!Number.isSafeInteger(since) || since < 0) throw new ShoalError('INVALID_ARGUMENT', `options.since_unix_ms must be a time in ms since the epoch, got ${String(o?.sinceUnixMs)}`);
  return { follow: o?.follow ?? false, hasTail: o?.hasTail ?? false, tail: Number(o?.tail ?? 0), sinceUnixMs: since };
}

function byNode(sources: ReadonlyMap<string, LogSource>): Map<string, LogSource[]> {
  const out = new Map<string, LogSource[]>();
  for (const s of sources.values()) {
    const list = out.get(s.nodeId ?? '') ?? [];
    list.push(s);
    out.set(s.nodeId ?? '', list);
  }
  return out;
}

function nodeName(m: Manager, nodeId: string): string {
  const n = listNodes(m.store.db).find((x) => x.id === nodeId);
  return n ? `${n.hostname} (${nodeId})` : nodeId;
}

/** Why a node's tasks' output cannot be had, naming the node and the tasks. */
export function unreachable(node: NodeRecord | undefined, nodeId: string, tasks: readonly LogSource[]): string {
  const what = `the output of ${tasks.map((t) => `${t.taskName}.${(t.taskId ?? '').slice(0, 12)}`).join(', ')} is not available`;
  if (!node) return `node ${nodeId} was removed from the cluster: ${what}`;
  const who = `node ${node.hostname} (${nodeId})`;
  if (node.status === 'down') return `${who} is down${node.statusMessage ? ` (${node.statusMessage})` : ''}: ${what}`;
  return `${who} is not connected to the leader right now: ${what}`;
}

const brokers = new WeakMap<Manager, LogBroker>();

export function addLogsService(server: grpc.Server, m: Manager): void {
  let b = brokers.get(m);
  if (!b) {
    b = new LogBroker(m);
    brokers.set(m, b);
  }
  server.addService(loadProtos().grpcObject.shoal.v1.Logs.service, b.handlers());
}
