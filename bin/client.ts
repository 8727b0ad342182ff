import * as grpc from '@grpc/grpc-js';
import { join, resolve } from 'node:path';
import { loadProtos } from '../src/proto/load.js';
import type { ControlClient } from '../src/generated/shoal/v1/Control.js';
import type { RaftClient } from '../src/generated/shoal/v1/Raft.js';
import type { GetClusterInfoResponse__Output } from '../src/generated/shoal/v1/GetClusterInfoResponse.js';
import type { GetJoinTokensResponse__Output } from '../src/generated/shoal/v1/GetJoinTokensResponse.js';
import type { RotateJoinTokenRequest } from '../src/generated/shoal/v1/RotateJoinTokenRequest.js';
import type { RotateJoinTokenResponse__Output } from '../src/generated/shoal/v1/RotateJoinTokenResponse.js';
import type { ListNodesRequest } from '../src/generated/shoal/v1/ListNodesRequest.js';
import type { ListNodesResponse__Output } from '../src/generated/shoal/v1/ListNodesResponse.js';
import type { GetNodeRequest } from '../src/generated/shoal/v1/GetNodeRequest.js';
import type { GetNodeResponse__Output } from '../src/generated/shoal/v1/GetNodeResponse.js';
import type { UpdateNodeRequest } from '../src/generated/shoal/v1/UpdateNodeRequest.js';
import type { UpdateNodeResponse__Output } from '../src/generated/shoal/v1/UpdateNodeResponse.js';
import type { RemoveNodeRequest } from '../src/generated/shoal/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse__Output } from '../src/generated/shoal/v1/RemoveNodeResponse.js';
import type { UpdateClusterRequest } from '../src/generated/shoal/v1/UpdateClusterRequest.js';
import type { UpdateClusterResponse__Output } from '../src/generated/shoal/v1/UpdateClusterResponse.js';
import type { LeaveRequest } from '../src/generated/shoal/v1/LeaveRequest.js';
import type { LeaveResponse__Output } from '../src/generated/shoal/v1/LeaveResponse.js';
import { ShoalError } from '../src/errors.js';
import { SOCKET_FILE } from '../src/manager/paths.js';
import { CLIENT_CHANNEL_OPTIONS, clientCredentials } from './tls.js';
import { classifyCallError } from './call-errors.js';
import { writeCall } from './write-call.js';

/** Options every command takes (SPEC.md "Global options"). */
export interface GlobalArgs {
  readonly dataDir: string;
  readonly host?: string | undefined;
  readonly format: 'table' | 'json';
  readonly quiet: boolean;
}

// In its own module so the CLI can compute its defaults without loading gRPC.
export { defaultDataDir } from './data-dir.js';

/** `unix:///path` or `HOST:PORT`; by default the local node's socket in the data dir. */
export function targetFor(args: GlobalArgs): string {
  if (args.host) return args.host;
  return `unix://${join(resolve(args.dataDir), SOCKET_FILE)}`;
}

const CALL_TIMEOUT_MS = 20_000;

export class Api {
  readonly control: ControlClient;
  readonly raft: RaftClient;
  /** `channelOptions` are added to the CLI's own (benchmarks use them to keep a connection per client). */
  constructor(
    readonly target: string,
    channelOptions: grpc.ChannelOptions = {},
  ) {
    const v1 = loadProtos().grpcObject.shoal.v1;
    const creds = clientCredentials(target);
    const options = { ...CLIENT_CHANNEL_OPTIONS, ...channelOptions };
    this.control = new v1.Control(target, creds, options);
    this.raft = new v1.Raft(target, creds, options);
  }

  close(): void {
    this.control.close();
    this.raft.close();
  }

  /** `nodeId`: whose networks to list (default: the answering manager's own node). */
  clusterInfo(timeoutMs?: number, nodeId = ''): Promise<GetClusterInfoResponse__Output> {
    return unaryCall(this.target, (md, o, cb) => this.control.GetClusterInfo({ nodeId }, md, o, cb), timeoutMs);
  }
  joinTokens(): Promise<GetJoinTokensResponse__Output> {
    return unaryCall(this.target, (md, o, cb) => this.control.GetJoinTokens({}, md, o, cb));
  }
  rotateJoinToken(req: RotateJoinTokenRequest): Promise<RotateJoinTokenResponse__Output> {
    return writeCall(this.target, req, (r, md, o, cb) => this.control.RotateJoinToken(r, md, o, cb), 'shoal join-token');
  }
  updateCluster(req: UpdateClusterRequest): Promise<UpdateClusterResponse__Output> {
    return writeCall(this.target, req, (r, md, o, cb) => this.control.UpdateCluster(r, md, o, cb), 'shoal cluster inspect');
  }
  listNodes(req: ListNodesRequest = {}): Promise<ListNodesResponse__Output> {
    return unaryCall(this.target, (md, o, cb) => this.control.ListNodes(req, md, o, cb));
  }
  getNode(req: GetNodeRequest): Promise<GetNodeResponse__Output> {
    return unaryCall(this.target, (md, o, cb) => this.control.GetNode(req, md, o, cb));
  }
  updateNode(req: UpdateNodeRequest): Promise<UpdateNodeResponse__Output> {
    return writeCall(this.target, req, (r, md, o, cb) => this.control.UpdateNode(r, md, o, cb), `shoal node inspect ${req.ref ?? ''}`);
  }
  removeNode(req: RemoveNodeRequest): Promise<RemoveNodeResponse__Output> {
    return writeCall(this.target, req, (r, md, o, cb) => this.control.RemoveNode(r, md, o, cb), 'shoal node ls');
  }
  leave(req: LeaveRequest): Promise<LeaveResponse__Output> {
    return unaryCall(this.target, (md, o, cb) => this.raft.Leave(req, md, o, cb), 30_000);
  }
}

type Invoke<R> = (meta: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<R>) => unknown;

/** One unary call with a deadline; errors become ShoalErrors that name the real cause (call-errors.ts). */
export function unaryCall<R>(target: string, invoke: Invoke<R>, timeoutMs = CALL_TIMEOUT_MS): Promise<R> {
  return new Promise<R>((resolvePromise, reject) => {
    invoke(new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(classifyCallError(target, err).error);
      else if (res === undefined) reject(new ShoalError('INTERNAL', 'empty response'));
      else resolvePromise(res);
    });
  });
}

/** Runs `fn` with a client to the node the global options name, and closes it afterwards. */
export async function withApi<T>(args: GlobalArgs, fn: (api: Api) => Promise<T>): Promise<T> {
  const api = new Api(targetFor(args));
  try {
    return await fn(api);
  } finally {
    api.close();
  }
}
