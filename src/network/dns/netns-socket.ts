/**
 * Sockets bound inside another network namespace, owned by this process.
 *
 * The node's resolver is one process in the host namespace, but tasks must reach it at an
 * address of their own namespace (or of their network's sandbox). A socket keeps the namespace
 * it was created in, so a short-lived helper started with `ip netns exec NS` binds UDP and TCP
 * there and passes both to us over Node's IPC channel (SCM_RIGHTS under the hood); the
 * resolver then answers on them (DnsResolver.adopt) while its upstream queries still leave from
 * the host namespace — so an upstream on the host's loopback (systemd-resolved) stays reachable,
 * which Docker's resolver (dialing from inside the container) cannot do.
 */
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import { ShoalError } from '../../errors.js';

const HELPER = fileURLToPath(new URL('./netns-bind-helper.js', import.meta.url));

export interface NamespaceSockets {
  readonly udp: dgram.Socket;
  readonly tcp: net.Server;
}

/** Binds UDP and TCP on `host:port` inside network namespace `ns` (a name under /run/netns). */
export function bindInNamespace(ns: string, host: string, port: number, timeoutMs = 5_000): Promise<NamespaceSockets> {
  if (!/^[A-Za-z0-9_.-]+$/.test(ns)) return Promise.reject(new ShoalError('INVALID_ARGUMENT', `namespace name "${ns}" is not valid`));
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, HELPER, host, String(port)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let udp: dgram.Socket | null = null;
    let settled = false;
    const finish = (err: Error | null, value?: NamespaceSockets): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        child.kill('SIGKILL');
        udp?.close();
        reject(err);
      } else if (value) {
        if (child.connected) child.send({ kind: 'done' });
        resolve(value);
      }
    };
    const timer = setTimeout(() => finish(new ShoalError('DEADLINE_EXCEEDED', `binding ${host}:${port} in namespace ${ns} took over ${timeoutMs} ms`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => finish(new ShoalError('FAILED_PRECONDITION', `cannot run ip netns exec: ${e.message}`)));
    child.on('exit', (code) => {
      if (!settled) finish(new ShoalError('FAILED_PRECONDITION', `binding ${host}:${port} in namespace ${ns} failed (exit ${String(code)}): ${stderr.trim() || 'no output'}`));
    });
    child.on('message', (msg: { kind?: string; message?: string }, handle: unknown) => {
      if (msg.kind === 'error') finish(new ShoalError('FAILED_PRECONDITION', `binding ${host}:${port} in namespace ${ns}: ${msg.message ?? 'unknown error'}`));
      else if (msg.kind === 'udp' && handle instanceof dgram.Socket) udp = handle;
      else if (msg.kind === 'tcp' && handle instanceof net.Server && udp) finish(null, { udp, tcp: handle });
    });
  });
}
