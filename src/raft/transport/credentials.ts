/**
 * Transport security is a seam: the Raft transport asks a TransportSecurity
 * for credentials and never decides itself. Today only the insecure
 * implementation exists; mutual TLS (each manager's certificate signed by the
 * cluster CA) will be a second implementation of the same interface.
 */
import * as grpc from '@grpc/grpc-js';

export interface TransportSecurity {
  /** A short name for traces and errors ("insecure", "mtls"). */
  readonly name: string;
  /** Credentials for the manager's server (the side that receives Raft streams). */
  serverCredentials(): grpc.ServerCredentials;
  /** Credentials for channels to peers (the side that sends). */
  channelCredentials(): grpc.ChannelCredentials;
}

/** Plaintext HTTP/2. Only for loopback, tests, and networks the operator already trusts. */
export function insecureTransport(): TransportSecurity {
  return {
    name: 'insecure',
    serverCredentials: () => grpc.ServerCredentials.createInsecure(),
    channelCredentials: () => grpc.credentials.createInsecure(),
  };
}
