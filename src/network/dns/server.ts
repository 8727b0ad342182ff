/**
 * The node's DNS resolver: answers cluster names from the name table (name-table.ts), forwards
 * every other name to the node's upstream resolvers (forwarder.ts), over UDP and TCP.
 *
 * One resolver per node serves every task and container on it. It can listen on any number of
 * sockets: `listen` binds an address of the process's own namespace (tests, benchmarks, a
 * resolver on the host), `adopt` takes sockets bound elsewhere — e.g. inside a network's sandbox
 * namespace (netns-socket.ts) — so one process answers in every namespace. Each listener has a
 * `scope` function that tells, from the asker's source address, which networks it is on: names
 * are answered only from those networks.
 *
 * Wire format by dns-packet. Over UDP an answer larger than the client allows (512 bytes, or
 * its EDNS payload size) is sent empty with the TC bit, and the client retries over TCP.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as packet from 'dns-packet';
import { formatIpv4 } from '../cidr.js';
import { forwardQuery, frame, readFrames, type Transport } from './forwarder.js';
import type { NameTable, Lookup } from './name-table.js';
import type { Upstream } from './resolv-conf.js';

/** Which networks the endpoint at `remoteAddress` is on (network IDs). */
export type Scope = (remoteAddress: string) => readonly string[];

export interface ResolverOptions {
  /** The current table; called per query, so swapping it in is atomic. */
  readonly table: () => NameTable;
  /** The current upstream resolvers (the node's resolv.conf, read by the caller). */
  readonly upstreams: () => readonly Upstream[];
  /** Budget for one forwarded query over all upstreams (default 3,000 ms, below glibc's 5 s). */
  readonly forwardTimeoutMs?: number;
  /** Forwarded queries in flight at most; beyond, SERVFAIL at once (default 1,024, as Docker). */
  readonly forwardMax?: number;
  /** TTL of cluster answers (default 0: tasks come and go; see docs/design/dns.md). */
  readonly ttlSeconds?: number;
  /** Source of randomness for shuffling (tests pass a seeded one). */
  readonly random?: () => number;
  /** Idle TCP connections are closed after this (default 10 s). */
  readonly tcpIdleMs?: number;
}

export interface Listener {
  /** The UDP address and port it answers on. */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Counters for `shoal info`-style reporting and tests. */
export interface ResolverStats {
  answered: number;
  forwarded: number;
  servfail: number;
  truncated: number;
}

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const QR = 1 << 15;
/** Plain DNS over UDP without EDNS (RFC 1035). */
const UDP_PLAIN_MAX = 512;
/** What we accept and announce as EDNS payload size. */
const UDP_EDNS_MAX = 4_096;

export class DnsResolver {
  readonly stats: ResolverStats = { answered: 0, forwarded: 0, servfail: 0, truncated: 0 };
  private readonly listeners = new Set<Listener>();
  private forwarding = 0;

  constructor(private readonly opts: ResolverOptions) {}

  /** Binds UDP and TCP on `host:port` (port 0: any free port, the same for both). */
  async listen(host: string, port: number, scope: Scope): Promise<Listener> {
    const family = net.isIPv6(host) ? 'udp6' : 'udp4';
    // Port 0: the UDP port is picked first and TCP takes the same one; rarely it is taken for
    // TCP, then both are retried.
    for (let attempt = 0; ; attempt++) {
      const udp = dgram.createSocket({ type: family, reuseAddr: false });
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(port, host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      const tcp = net.createServer();
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen(udp.address().port, host, () => {
            tcp.off('error', reject);
            resolve();
          });
        });
      } catch (e) {
        udp.close();
        if (port === 0 && attempt < 5 && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
        throw e;
      }
      return this.adopt(udp, tcp, scope);
    }
  }

  /** Answers on sockets that are already bound (possibly in another network namespace). */
  adopt(udp: dgram.Socket, tcp: net.Server, scope: Scope): Listener {
    udp.on('message', (msg, rinfo) => {
      void this.answer(msg, scope(rinfo.address), 'udp').then((reply) => {
        if (reply) udp.send(reply, rinfo.port, rinfo.address);
      });
    });
    // A send to a vanished client must not take the resolver down.
    udp.on('error', () => undefined);
    const sockets = new Set<net.Socket>();
    tcp.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      this.serveTcp(socket, scope);
    });
    const { address, port } = udp.address();
    const listener: Listener = {
      address,
      port,
      close: async () => {
        this.listeners.delete(listener);
        for (const s of sockets) s.destroy();
        await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
      },
    };
    this.listeners.add(listener);
    return listener;
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((l) => l.close()));
  }

  private serveTcp(socket: net.Socket, scope: Scope): void {
    const asker = scope(socket.remoteAddress ?? '');
    let buffered = Buffer.alloc(0);
    socket.setTimeout(this.opts.tcpIdleMs ?? 10_000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const { messages, rest } = readFrames(Buffer.concat([buffered, chunk]));
      buffered = Buffer.from(rest);
      // Pipelined queries are answered as each is ready (RFC 7766 allows any order).
      for (const m of messages) {
        void this.answer(m, asker, 'tcp').then((reply) => {
          if (reply && !socket.destroyed) socket.write(frame(reply));
        });
      }
    });
  }

  /**
   * The reply to one query message from an endpoint on `scope`, or null when the message is too
   * broken to answer (shorter than a header). Never throws.
   */
  async answer(msg: Buffer, scope: readonly string[], transport: Transport): Promise<Buffer | null> {
    if (msg.length < 12) return null;
    let query: packet.DecodedPacket;
    try {
      query = packet.decode(msg);
    } catch {
      return errorReply(msg, RCODE.FORMERR);
    }
    if (query.type !== 'query') return null;
    const opcode = (msg.readUInt16BE(2) >> 11) & 0xf;
    if (opcode !== 0) return errorReply(msg, RCODE.NOTIMP);
    const [question, ...more] = query.questions ?? [];
    if (!question || more.length > 0) return errorReply(msg, RCODE.FORMERR);
    const found: Lookup = question.class === undefined || question.class === 'IN' ? this.opts.table().lookup(question.name, question.type, scope) : { kind: 'unknown' };
    if (found.kind === 'unknown') return this.forward(msg, transport);
    this.stats.answered++;
    const reply = this.reply(query, found);
    if (transport === 'tcp') return reply;
    const limit = udpLimit(query);
    if (reply.length <= limit) return reply;
    this.stats.truncated++;
    return packet.encode({ ...this.header(query, RCODE.NOERROR, packet.TRUNCATED_RESPONSE), questions: [question] });
  }

  private async forward(msg: Buffer, transport: Transport): Promise<Buffer> {
    const upstreams = this.opts.upstreams();
    if (upstreams.length === 0 || this.forwarding >= (this.opts.forwardMax ?? 1_024)) {
      this.stats.servfail++;
      return errorReply(msg, RCODE.SERVFAIL);
    }
    this.forwarding++;
    this.stats.forwarded++;
    try {
      const reply = await forwardQuery(msg, transport, upstreams, { timeoutMs: this.opts.forwardTimeoutMs ?? 3_000 });
      if (reply) return reply;
      this.stats.servfail++;
      return errorReply(msg, RCODE.SERVFAIL);
    } finally {
      this.forwarding--;
    }
  }

  private reply(query: packet.DecodedPacket, found: Exclude<Lookup, { kind: 'unknown' }>): Buffer {
    const question = query.questions?.[0];
    if (!question) throw new Error('invariant: a question was checked before');
    const ttl = this.opts.ttlSeconds ?? 0;
    const answers: packet.Answer[] = [];
    if (found.kind === 'addresses') {
      const ips = found.shuffle ? shuffled(found.addresses, this.opts.random ?? Math.random) : found.addresses;
      for (const ip of ips) answers.push({ type: 'A', name: question.name, class: 'IN', ttl, data: formatIpv4(ip) });
    } else if (found.kind === 'pointer') {
      for (const name of found.names) answers.push({ type: 'PTR', name: question.name, class: 'IN', ttl, data: name });
    }
    const edns = query.additionals?.some((a) => a.type === 'OPT') ?? false;
    const additionals: packet.Answer[] = edns ? [{ type: 'OPT', name: '.', udpPayloadSize: UDP_EDNS_MAX, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [];
    return packet.encode({ ...this.header(query, RCODE.NOERROR, packet.AUTHORITATIVE_ANSWER), questions: [question], answers, additionals });
  }

  private header(query: packet.DecodedPacket, rcode: number, extra: number): packet.Packet {
    // dns-packet's `flags` covers the header bits below QR and opcode: keep RD, say RA.
    const rd = query.flags !== undefined ? query.flags & packet.RECURSION_DESIRED : 0;
    return { type: 'response', id: query.id ?? 0, flags: rd | packet.RECURSION_AVAILABLE | extra | rcode };
  }
}

/** The largest UDP answer this query allows: 512, or its EDNS payload size (capped). */
function udpLimit(query: packet.DecodedPacket): number {
  const opt = query.additionals?.find((a): a is packet.OptAnswer => a.type === 'OPT');
  if (!opt) return UDP_PLAIN_MAX;
  return Math.min(UDP_EDNS_MAX, Math.max(UDP_PLAIN_MAX, opt.udpPayloadSize));
}

/**
 * A reply carrying only `rcode` and the original question section, built from the raw header
 * (the query may not decode): ID, opcode and RD copied, QR and RA set, counts cut to the question.
 */
function errorReply(msg: Buffer, rcode: number): Buffer {
  const questions = questionSection(msg);
  const out = Buffer.alloc(12 + questions.length);
  msg.copy(out, 0, 0, 4);
  const flags = msg.readUInt16BE(2);
  out.writeUInt16BE(QR | (flags & 0x7800) | (flags & 0x0100) | 0x0080 | rcode, 2);
  out.writeUInt16BE(questions.length > 0 ? 1 : 0, 4);
  questions.copy(out, 12);
  return out;
}

/** The bytes of the first question when the message holds exactly one well-formed one; else empty. */
function questionSection(msg: Buffer): Buffer {
  if (msg.readUInt16BE(4) !== 1) return Buffer.alloc(0);
  let at = 12;
  while (at < msg.length) {
    const len = msg[at] ?? 0;
    if (len === 0) break;
    if (len >= 0xc0) return Buffer.alloc(0); // no compression pointers in a question we echo
    at += 1 + len;
  }
  const end = at + 1 + 4; // root label, type, class
  return end <= msg.length ? Buffer.from(msg.subarray(12, end)) : Buffer.alloc(0);
}

/** Fisher–Yates over a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
