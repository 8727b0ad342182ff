/**
 * Test and benchmark helpers around DNS on loopback: a one-shot client (UDP or TCP, with or
 * without EDNS) and an upstream resolver the test runs itself (static answers; stoppable, so a
 * test can watch the forwarding time out).
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as packet from 'dns-packet';
import { frame, readFrames } from '../../../src/network/dns/forwarder.js';

export interface QueryOptions {
  readonly transport?: 'udp' | 'tcp';
  /** Adds an EDNS OPT record with this UDP payload size. */
  readonly edns?: number;
  readonly timeoutMs?: number;
  readonly id?: number;
}

export function encodeQuery(name: string, type: packet.RecordType, opts: QueryOptions = {}): Buffer {
  const additionals: packet.Answer[] =
    opts.edns === undefined ? [] : [{ type: 'OPT', name: '.', udpPayloadSize: opts.edns, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }];
  return packet.encode({ type: 'query', id: opts.id ?? 4242, flags: packet.RECURSION_DESIRED, questions: [{ type, name, class: 'IN' }], additionals });
}

/** Sends one raw message and returns the raw reply (rejects on timeout). */
export function exchange(port: number, msg: Buffer, opts: QueryOptions = {}, host = '127.0.0.1'): Promise<Buffer> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  if (opts.transport === 'tcp') {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      let buffered = Buffer.alloc(0);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no TCP answer within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.on('connect', () => socket.write(frame(msg)));
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        const [reply] = readFrames(buffered).messages;
        if (!reply) return;
        clearTimeout(timer);
        socket.destroy();
        resolve(reply);
      });
    });
  }
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (reply) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    });
    socket.send(msg, port, host);
  });
}

/** A decoded reply: dns-packet also decodes the rcode, which its type declarations leave out. */
export type Reply = packet.DecodedPacket & { readonly rcode: string };
/** An answer record other than EDNS's OPT. */
export type AnswerRecord = Exclude<packet.Answer, packet.OptAnswer>;

export async function query(port: number, name: string, type: packet.RecordType, opts: QueryOptions = {}): Promise<Reply> {
  return packet.decode(await exchange(port, encodeQuery(name, type, opts), opts)) as Reply;
}

/** The answer records of a reply (OPT left out). */
export function records(p: packet.DecodedPacket): AnswerRecord[] {
  return (p.answers ?? []).filter((a): a is AnswerRecord => a.type !== 'OPT');
}

/** The A answers of a reply as dotted strings. */
export function aRecords(p: packet.DecodedPacket): string[] {
  return records(p).flatMap((a) => (a.type === 'A' && typeof a.data === 'string' ? [a.data] : []));
}

/**
 * An upstream resolver on loopback (UDP and TCP on one port) with fixed A records; any other
 * name is NXDOMAIN. `big.example.test` has a TXT answer larger than 512 bytes.
 */
export class TestUpstream {
  queries = 0;
  private constructor(
    private readonly udp: dgram.Socket,
    private readonly tcp: net.Server,
    readonly port: number,
  ) {}

  static async start(records: Readonly<Record<string, string>>): Promise<TestUpstream> {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const port = udp.address().port;
    const tcp = net.createServer();
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, '127.0.0.1', () => resolve());
    });
    const up = new TestUpstream(udp, tcp, port);
    udp.on('message', (msg, rinfo) => {
      up.queries++;
      udp.send(up.reply(msg, records, 'udp'), rinfo.port, rinfo.address);
    });
    tcp.on('connection', (socket) => {
      let buffered = Buffer.alloc(0);
      socket.on('error', () => socket.destroy());
      socket.on('data', (chunk: Buffer) => {
        const { messages, rest } = readFrames(Buffer.concat([buffered, chunk]));
        buffered = Buffer.from(rest);
        for (const m of messages) {
          up.queries++;
          socket.write(frame(up.reply(m, records, 'tcp')));
        }
      });
    });
    return up;
  }

  private reply(msg: Buffer, records: Readonly<Record<string, string>>, transport: 'udp' | 'tcp'): Buffer {
    const q = packet.decode(msg);
    const question = q.questions?.[0];
    const name = question?.name ?? '';
    const base = { type: 'response' as const, id: q.id ?? 0, questions: q.questions ?? [] };
    if (name === 'big.example.test') {
      const txt = Array.from({ length: 12 }, (_, i) => `chunk-${i}-${'x'.repeat(90)}`);
      if (transport === 'udp') return packet.encode({ ...base, flags: packet.TRUNCATED_RESPONSE | packet.RECURSION_AVAILABLE });
      return packet.encode({ ...base, flags: packet.RECURSION_AVAILABLE, answers: [{ type: 'TXT', name, ttl: 60, data: txt }] });
    }
    const address = records[name];
    if (address === undefined || question?.type !== 'A') return packet.encode({ ...base, flags: packet.RECURSION_AVAILABLE | 3 });
    return packet.encode({ ...base, flags: packet.RECURSION_AVAILABLE, answers: [{ type: 'A', name, ttl: 60, data: address }] });
  }

  async stop(): Promise<void> {
    await Promise.all([new Promise<void>((r) => this.udp.close(() => r())), new Promise<void>((r) => this.tcp.close(() => r()))]);
  }
}
