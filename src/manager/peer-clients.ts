import type * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../proto/load.js';
import type { ControlClient } from '../generated/shoal/v1/Control.js';
import type { RaftClient } from '../generated/shoal/v1/Raft.js';
import type { TransportSecurity } from '../raft/transport/credentials.js';
import { ShoalError } from '../errors.js';

/**
 * gRPC clients to other managers, one channel per address, reused. Used to
 * forward writes to the leader and to answer joins on any manager.
 */
export class PeerClients {
  private readonly control = new Map<string, ControlClient>();
  private readonly raft = new Map<string, RaftClient>();
  private closed = false;

  constructor(private readonly security: TransportSecurity) {}

  controlAt(addr: string): ControlClient {
    this.refuseWhenClosed();
    let c = this.control.get(addr);
    if (!c) {
      c = new (loadProtos().grpcObject.shoal.v1.Control)(addr, this.security.channelCredentials(), channelOptions);
      this.control.set(addr, c);
    }
    return c;
  }

  raftAt(addr: string): RaftClient {
    this.refuseWhenClosed();
    let c = this.raft.get(addr);
    if (!c) {
      c = new (loadProtos().grpcObject.shoal.v1.Raft)(addr, this.security.channelCredentials(), channelOptions);
      this.raft.set(addr, c);
    }
    return c;
  }

  close(): void {
    this.closed = true;
    for (const c of this.control.values()) c.close();
    for (const c of this.raft.values()) c.close();
    this.control.clear();
    this.raft.clear();
  }

  /**
   * A call still being handled while the manager closes (the server drains its calls after the
   * peers are closed) must not open a channel nobody will close: its own subchannel would keep
   * the process alive.
   */
  private refuseWhenClosed(): void {
    if (this.closed) throw new ShoalError('UNAVAILABLE', 'this manager is shutting down; the call was not passed on to another manager');
  }
}

const channelOptions: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
  'grpc.max_send_message_length': 16 * 1024 * 1024,
  // A manager that was down for a while (killed, paused, restarting) must be reachable again as
  // soon as it listens: a channel of its own, and a reconnect backoff capped at a second instead
  // of gRPC's default two minutes, which a shared subchannel may have grown to meanwhile.
  'grpc.use_local_subchannel_pool': 1,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
};
