/**
 * Authorization of every call on a manager's TCP port, by the role in the
 * caller's verified certificate (OU), before any handler runs. The unix
 * socket in the data dir has no interceptor: it is owner-only, and its
 * callers act as the local node.
 *
 * After the checks, the call carries its caller in metadata
 * (`x-shoal-caller-id`, `x-shoal-caller-role`); handlers and forwarding read
 * it there. Such metadata from a client is dropped unless the direct peer
 * is a manager of this cluster: only a follower forwarding a call may speak
 * for someone else.
 */
import * as grpc from '@grpc/grpc-js';
import type { CertRole } from './pki.js';
import { connectionOf } from '../node/grpc-connection.js';

export const CALLER_ID_KEY = 'x-shoal-caller-id';
export const CALLER_ROLE_KEY = 'x-shoal-caller-role';

/** Who may call a method: certificate roles, or anyone (the handler then demands a join token). */
type Allowed = readonly CertRole[] | 'token';

const MANAGER: readonly CertRole[] = ['manager'];
const ADMIN: readonly CertRole[] = ['manager', 'admin'];
const NODES: readonly CertRole[] = ['manager', 'worker'];
const ANY_CERT: readonly CertRole[] = ['manager', 'worker', 'admin'];

const SERVICE_POLICY: Readonly<Record<string, Allowed>> = {
  'shoal.v1.Control': ADMIN,
  'shoal.v1.Watch': ADMIN,
  'shoal.v1.ResourceAllocator': MANAGER,
  'shoal.v1.Dispatcher': NODES,
  'shoal.v1.Raft': MANAGER,
  'shoal.v1.CertificateAuthority': ADMIN,
  // A backup holds the whole state, the CA key included: managers and admin clients only.
  'shoal.v1.Backup': ADMIN,
  // Reading task output (SubscribeLogs) is for admins and managers; the node RPCs are below.
  'shoal.v1.Logs': ADMIN,
  'grpc.health.v1.Health': ANY_CERT,
  'grpc.reflection.v1.ServerReflection': ANY_CERT,
  'grpc.reflection.v1alpha.ServerReflection': ANY_CERT,
};

const METHOD_POLICY: Readonly<Record<string, Allowed>> = {
  // A node without a certificate asks for one with a join token.
  '/shoal.v1.Raft/Join': 'token',
  // With its certificate, or with a token when it expired while the node was off.
  '/shoal.v1.CertificateAuthority/RenewNodeCertificate': 'token',
  // Only a manager (or the local socket) may mint client certificates.
  '/shoal.v1.CertificateAuthority/IssueClientCertificate': MANAGER,
  // A worker leaves through a manager; the request must name the worker itself (checked below).
  '/shoal.v1.Raft/Leave': ANY_CERT,
  // The CLI on a worker (`shoal info`, `shoal run`) reaches a manager with the node's certificate:
  // it may read the cluster's networks and containers, and run standalone containers on itself only.
  '/shoal.v1.Control/GetClusterInfo': ANY_CERT,
  '/shoal.v1.Control/GetNetwork': ANY_CERT,
  '/shoal.v1.Control/ListNetworks': ANY_CERT,
  '/shoal.v1.Control/GetContainer': ANY_CERT,
  '/shoal.v1.Control/ListContainers': ANY_CERT,
  '/shoal.v1.Control/CreateContainer': ANY_CERT,
  // By ID (the node is not in the request): `container stop` on a worker, and giving back addresses
  // of a container that failed to start. Neither runs anything. The handlers check that a worker's
  // container is on its own node (ownership.ts: the check needs the store).
  '/shoal.v1.Control/UpdateContainer': ANY_CERT,
  // The node's Docker plugin removes the records of its own Docker containers (the handler checks the node).
  '/shoal.v1.Control/RemoveContainer': ANY_CERT,
  '/shoal.v1.ResourceAllocator/AttachNetwork': NODES,
  '/shoal.v1.ResourceAllocator/DetachNetwork': NODES,
  // A node's agent relays its own tasks' output: the handlers check that the session is the caller's
  // and that each line belongs to a task of that node that the subscription asked for.
  '/shoal.v1.Logs/ListenLogSubscriptions': NODES,
  '/shoal.v1.Logs/PublishLogs': NODES,
  // `container logs` on a worker: the handler lets a worker certificate read only its own node's containers.
  '/shoal.v1.Logs/SubscribeLogs': ANY_CERT,
};

/**
 * Methods whose first request names a node: a worker certificate may only name
 * its own node. A dispatcher session is always the caller's own, managers included.
 * A dotted path names a field of a nested message (Connect's first message is `open`).
 */
const SELF_ONLY_FIELD: Readonly<Record<string, string>> = {
  '/shoal.v1.Dispatcher/Session': 'nodeId',
  '/shoal.v1.Dispatcher/Connect': 'open.nodeId',
  '/shoal.v1.Raft/Leave': 'nodeId',
  '/shoal.v1.Control/CreateContainer': 'nodeId',
  '/shoal.v1.ResourceAllocator/AttachNetwork': 'nodeId',
};
const SELF_ONLY_FOR_EVERY_NODE = new Set(['/shoal.v1.Dispatcher/Session', '/shoal.v1.Dispatcher/Connect']);

export function allowedFor(path: string): Allowed {
  const known = allowedByPath.get(path);
  if (known) return known;
  const method = METHOD_POLICY[path];
  const service = path.split('/')[1] ?? '';
  const allowed = method ?? SERVICE_POLICY[service] ?? MANAGER; // an unlisted method is for managers only
  // Only paths this server serves repeat; a client naming endless made-up paths must not grow the map.
  if (allowedByPath.size >= ALLOWED_CACHE_MAX) allowedByPath.clear();
  allowedByPath.set(path, allowed);
  return allowed;
}

/** allowedFor's answers by method path: the policy is constant, and it is read on every call. */
const allowedByPath = new Map<string, Allowed>();
const ALLOWED_CACHE_MAX = 512;

export interface Caller {
  readonly id: string;
  readonly role: CertRole;
}

export interface AuthorizationContext {
  readonly clusterId: string;
  /** True if the node's certificates were revoked (it was removed). */
  isDenied(nodeId: string): boolean;
  /**
   * Added to the refusal of a call without a verified certificate: after a CA rotation, a client
   * certificate from the old root no longer verifies (the call arrives as anonymous), and the
   * caller should hear why ('' when no rotation is recent).
   */
  anonymousHint?(): string;
}

/** The caller the interceptor (or a forwarding follower) put on the call; null on the unix socket or without a certificate. */
export function callerOf(metadata: grpc.Metadata): Caller | null {
  const id = metadata.get(CALLER_ID_KEY)[0];
  const role = metadata.get(CALLER_ROLE_KEY)[0];
  if (typeof id !== 'string' || id === '' || !isRole(role)) return null;
  return { id, role };
}

export function setCaller(metadata: grpc.Metadata, caller: Caller | null): void {
  metadata.remove(CALLER_ID_KEY);
  metadata.remove(CALLER_ROLE_KEY);
  if (caller) {
    metadata.set(CALLER_ID_KEY, caller.id);
    metadata.set(CALLER_ROLE_KEY, caller.role);
  }
}

function isRole(r: unknown): r is CertRole {
  return r === 'manager' || r === 'worker' || r === 'admin';
}

type Decision = { ok: true; caller: Caller | null } | { ok: false; code: grpc.status; details: string };

/** The pure part: what to do with a call given its method, peer certificate subject and metadata. */
export function authorize(path: string, subject: PeerSubject | null, metadata: grpc.Metadata, ctx: AuthorizationContext): Decision {
  const allowed = allowedFor(path);
  if (!subject) {
    if (allowed === 'token') return { ok: true, caller: null };
    return {
      ok: false,
      code: grpc.status.UNAUTHENTICATED,
      details: `${path} needs a client certificate from this cluster's CA (on a manager: \`shoal ca client-cert --out DIR\`, then \`shoal -H HOST:PORT --tls-dir DIR\`)${ctx.anonymousHint?.() ?? ''}`,
    };
  }
  const cn = subject.CN ?? '';
  const ou = subject.OU ?? '';
  if (subject.O !== ctx.clusterId) {
    return { ok: false, code: grpc.status.UNAUTHENTICATED, details: `the client certificate belongs to cluster ${subject.O ?? '?'}, not to this one (${ctx.clusterId})` };
  }
  if (!isRole(ou) || cn === '') return { ok: false, code: grpc.status.UNAUTHENTICATED, details: `the client certificate has no Shoal role (OU=${ou})` };
  if (ctx.isDenied(cn)) {
    return { ok: false, code: grpc.status.PERMISSION_DENIED, details: `node ${cn} was removed from the cluster: its certificate is no longer accepted; join it again with \`shoal join\`` };
  }
  // Only a manager forwarding a call may name another caller.
  const forwarded = ou === 'manager' ? callerOf(metadata) : null;
  const caller: Caller = forwarded ?? { id: cn, role: ou };
  if (forwarded && ctx.isDenied(forwarded.id)) {
    return { ok: false, code: grpc.status.PERMISSION_DENIED, details: `node ${forwarded.id} was removed from the cluster: its certificate is no longer accepted` };
  }
  if (allowed !== 'token' && !allowed.includes(caller.role)) {
    return { ok: false, code: grpc.status.PERMISSION_DENIED, details: `a ${caller.role} certificate may not call ${path} (allowed: ${allowed.join(', ')})` };
  }
  return { ok: true, caller };
}

/** The part of a verified peer certificate the checks read. */
export type PeerSubject = { CN?: string; OU?: string; O?: string };

/**
 * Peer subjects by connection (HTTP/2 session). Node's TLSSocket.getPeerCertificate() builds a fresh
 * object from the DER on every call: measured at a third of a millisecond per call under load and
 * the largest single cost of mutual TLS on the write path (docs/benchmarks.md, 2026-12-07, mTLS
 * profile). A connection's peer certificate is fixed at its handshake (and `authorized` is only
 * decided then), so parsing it once per connection changes nothing the checks see; the deny list is
 * still read on every call. If grpc-js hides the connection (connectionOf returns null), the
 * certificate is parsed per call: correct, slower.
 */
const subjectsByConnection = new WeakMap<object, PeerSubject | null>();

/** The verified peer certificate's subject, parsed once per connection; null without one. */
export function peerSubject(call: grpc.ServerInterceptingCallInterface): PeerSubject | null {
  const connection = connectionOf(call);
  if (connection) {
    const known = subjectsByConnection.get(connection);
    if (known !== undefined) return known;
  }
  const cert = call.getAuthContext().sslPeerCertificate;
  // A multi-valued field (string[]) matches no role or cluster ID, so authorize refuses it.
  const subject = cert ? (cert.subject as PeerSubject) : null;
  if (connection) subjectsByConnection.set(connection, subject);
  return subject;
}

/** The interceptor for the TCP port's credentials (grpc.experimental.createServerCredentialsWithInterceptors). */
export function authorizationInterceptor(ctx: AuthorizationContext): grpc.ServerInterceptor {
  return (method, call) => {
    let caller: Caller | null = null;
    let refused = false;
    const refuse = (code: grpc.status, details: string): void => {
      refused = true;
      call.sendStatus({ code, details, metadata: new grpc.Metadata() });
    };
    const selfField = SELF_ONLY_FIELD[method.path];
    let checkedFirst = false;
    return new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, nextMeta) => {
            const d = authorize(method.path, peerSubject(call), metadata, ctx);
            if (!d.ok) return refuse(d.code, d.details);
            caller = d.caller;
            setCaller(metadata, caller);
            nextMeta(metadata);
          },
          onReceiveMessage: (message: unknown, nextMessage) => {
            if (refused) return;
            const applies = caller && (caller.role === 'worker' || (caller.role === 'manager' && SELF_ONLY_FOR_EVERY_NODE.has(method.path)));
            if (selfField && !checkedFirst && caller && applies) {
              checkedFirst = true;
              const named = fieldAt(message, selfField);
              if (named !== caller.id) {
                return refuse(grpc.status.PERMISSION_DENIED, `the certificate of node ${caller.id} cannot act as node ${String(named)}`);
              }
            }
            nextMessage(message);
          },
          onReceiveHalfClose: (nextHalfClose) => {
            if (!refused) nextHalfClose();
          },
        });
      },
    });
  };
}

/** The value at a dotted field path of a decoded message; undefined where a part is missing. */
function fieldAt(message: unknown, path: string): unknown {
  let v: unknown = message;
  for (const part of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}
