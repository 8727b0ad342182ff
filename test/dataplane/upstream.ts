// An upstream DNS resolver for the namespace-host tests, run inside a test host:
// `node upstream.js PORT NAME=IP …`. Answers A for the given names over UDP, NXDOMAIN for any
// other name; prints "ready" once it listens on every address of its namespace.
import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';

const [portText = '53', ...pairs] = process.argv.slice(2);
const records = new Map(pairs.map((p) => p.split('=') as [string, string]));
const udp = createSocket('udp4');
udp.on('message', (msg, from) => {
  let q: packet.DecodedPacket;
  try {
    q = packet.decode(msg);
  } catch {
    return;
  }
  const question = q.questions?.[0];
  const address = question?.type === 'A' ? records.get(question.name) : undefined;
  const base = { type: 'response' as const, id: q.id ?? 0, questions: q.questions ?? [] };
  const reply = address === undefined
    ? packet.encode({ ...base, flags: packet.RECURSION_AVAILABLE | 3 }) // NXDOMAIN
    : packet.encode({ ...base, flags: packet.RECURSION_AVAILABLE, answers: [{ type: 'A', name: question!.name, ttl: 60, data: address }] });
  udp.send(reply, from.port, from.address);
});
udp.bind(Number(portText), '0.0.0.0', () => process.stdout.write('ready\n'));
