/**
 * Forwarding of names the cluster does not own to the node's upstream resolvers.
 *
 * The query goes out as the client sent it (so its EDNS size, DO bit and flags are kept) but
 * under a fresh random ID and from a fresh socket (a random source port), so an off-path
 * attacker must guess both; the answer goes back under the client's ID. Upstreams are tried in
 * order within ONE time budget for the whole query, split evenly over the upstreams still
 * untried: a dead first resolver costs part of the budget, never more than the client's own
 * timeout (glibc waits 5 s), which was Docker's failure (a fixed 4 s per upstream, moby#20335).
 * `null` = nobody answered in time; the caller answers SERVFAIL.
 */
import { randomInt } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { Upstream } from './resolv-conf.js';

export type Transport = 'udp' | 'tcp';

export interface ForwardOptions {
  /** Budget for the whole query over all upstreams, in ms. */
  readonly timeoutMs: number;
}

/** Largest DNS message over UDP we accept back (EDNS maximum in practice). */
const UDP_RECEIVE_MAX = 65_535;

export async function forwardQuery(query: Buffer, transport: Transport, upstreams: readonly Upstream[], opts: ForwardOptions): Promise<Buffer | null> {
  if (query.length < 12) return null;
  const clientId = query.readUInt16BE(0);
  const deadline = Date.now() + opts.timeoutMs;
  for (let i = 0; i < upstreams.length; i++) {
    const upstream = upstreams[i];
    if (!upstream) continue;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const slice = Math.max(1, Math.floor(remaining / (upstreams.length - i)));
    const id = randomInt(0, 65_536);
    const out = Buffer.from(query);
    out.writeUInt16BE(id, 0);
    const reply = transport === 'udp' ? await askUdp(out, upstream, slice) : await askTcp(out, upstream, slice);
    if (reply && reply.length >= 12 && reply.readUInt16BE(0) === id) {
      reply.writeUInt16BE(clientId, 0);
      return reply;
    }
  }
  return null;
}

function askUdp(query: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const family = net.isIPv6(upstream.host.split('%')[0] ?? upstream.host) ? 'udp6' : 'udp4';
    const socket = dgram.createSocket({ type: family, recvBufferSize: UDP_RECEIVE_MAX });
    const id = query.readUInt16BE(0);
    let done = false;
    const finish = (reply: Buffer | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('error', () => finish(null));
    socket.on('message', (msg, rinfo) => {
      // Only the upstream we asked, answering our ID, ends the wait; anything else is ignored.
      if (rinfo.port !== upstream.port || (family === 'udp4' && rinfo.address !== upstream.host)) return;
      if (msg.length < 12 || msg.readUInt16BE(0) !== id) return;
      finish(msg);
    });
    socket.send(query, upstream.port, upstream.host, (err) => {
      if (err) finish(null);
    });
  });
}

function askTcp(query: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: upstream.host, port: upstream.port });
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (reply: Buffer | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
    socket.on('connect', () => socket.write(frame(query)));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const [message] = readFrames(buffered).messages;
      if (message) finish(message);
    });
  });
}

/** A DNS message with its 2-byte length prefix (TCP framing, RFC 1035 4.2.2). */
export function frame(message: Buffer): Buffer {
  const out = Buffer.alloc(2 + message.length);
  out.writeUInt16BE(message.length, 0);
  message.copy(out, 2);
  return out;
}

/** Splits length-prefixed messages off the front of `buffered`; `rest` is an incomplete tail. */
export function readFrames(buffered: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let at = 0;
  while (buffered.length - at >= 2) {
    const length = buffered.readUInt16BE(at);
    if (buffered.length - at - 2 < length) break;
    messages.push(Buffer.from(buffered.subarray(at + 2, at + 2 + length)));
    at += 2 + length;
  }
  return { messages, rest: buffered.subarray(at) };
}
