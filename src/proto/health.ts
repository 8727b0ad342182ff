/**
 * The standard gRPC health service (grpc.health.v1.Health) and server
 * reflection, so that generic tools (grpc_health_probe, grpcurl) can talk to
 * a Shoal node. The status is kept per service name; "" is the whole server.
 */
import * as grpc from '@grpc/grpc-js';
import type { HealthCheckRequest__Output } from '../generated/grpc/health/v1/HealthCheckRequest.js';
import type { HealthCheckResponse } from '../generated/grpc/health/v1/HealthCheckResponse.js';
import type { HealthHandlers } from '../generated/grpc/health/v1/Health.js';
import { loadProtos } from './load.js';
import { addLazyReflection } from './lazy-reflection.js';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';

/** Upper bound on concurrent Watch streams, so that clients cannot grow memory without limit. */
const healthWatchersMax = 1024;

/** Lets the node flip services between SERVING and NOT_SERVING (e.g. on leaving, on shutdown). */
export interface HealthControl {
  setStatus(service: string, status: ServingStatus): void;
  /** Marks everything NOT_SERVING and ends all Watch streams (before server shutdown). */
  shutdown(): void;
}

type Watcher = grpc.ServerWritableStream<HealthCheckRequest__Output, HealthCheckResponse>;

/**
 * Adds grpc.health.v1.Health and server reflection (v1 and v1alpha) to
 * `server`. Every name in `serviceNames`, and "" for the server as a whole,
 * starts SERVING.
 */
export function addHealthAndReflection(server: grpc.Server, serviceNames: readonly string[]): HealthControl {
  const { grpcObject } = loadProtos();
  const statuses = new Map<string, ServingStatus>([['', 'SERVING']]);
  for (const name of serviceNames) statuses.set(name, 'SERVING');
  const watchers = new Set<Watcher>();

  const notify = (service: string, status: ServingStatus): void => {
    for (const w of watchers) {
      if (w.request.service === service) w.write({ status });
    }
  };

  const handlers: HealthHandlers = {
    Check(call, callback) {
      const status = statuses.get(call.request.service);
      if (status === undefined) {
        callback({ code: grpc.status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
        return;
      }
      callback(null, { status });
    },
    Watch(call) {
      call.on('error', () => watchers.delete(call));
      call.on('cancelled', () => watchers.delete(call));
      if (watchers.size >= healthWatchersMax) {
        call.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details: 'too many health watchers; retry later' });
        return;
      }
      watchers.add(call);
      call.write({ status: statuses.get(call.request.service) ?? 'SERVICE_UNKNOWN' });
    },
  };
  server.addService(grpcObject.grpc.health.v1.Health.service, handlers);
  addLazyReflection(server); // built on its first call: it costs most of a start otherwise

  return {
    setStatus(service, status) {
      if (statuses.get(service) === status) return;
      statuses.set(service, status);
      notify(service, status);
    },
    shutdown() {
      for (const name of statuses.keys()) statuses.set(name, 'NOT_SERVING');
      for (const w of watchers) {
        w.write({ status: 'NOT_SERVING' });
        w.end();
      }
      watchers.clear();
    },
  };
}
