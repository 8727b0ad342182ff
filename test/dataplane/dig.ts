// One DNS query from the namespace it runs in, for the namespace-host tests:
// `node dig.js SERVER NAME TYPE TIMEOUT_MS`. Prints one JSON object: the reply's rcode and
// A answers and how long it took, or `rcode: "TIMEOUT"` when nothing came back in time.
import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';

const [server = '', name = '', type = 'A', timeoutText = '5000'] = process.argv.slice(2);
const started = Date.now();
const socket = createSocket('udp4');
const finish = (out: { rcode: string; addresses: string[] }): void => {
  process.stdout.write(JSON.stringify({ ...out, ms: Date.now() - started }) + '\n');
  socket.close();
};
const timer = setTimeout(() => finish({ rcode: 'TIMEOUT', addresses: [] }), Number(timeoutText));
socket.on('message', (msg) => {
  clearTimeout(timer);
  const reply = packet.decode(msg) as packet.DecodedPacket & { rcode?: string };
  const addresses = (reply.answers ?? []).flatMap((a) => (a.type === 'A' && typeof a.data === 'string' ? [a.data] : []));
  finish({ rcode: reply.rcode ?? '?', addresses });
});
socket.send(packet.encode({ type: 'query', id: 4343, flags: packet.RECURSION_DESIRED, questions: [{ type: type as packet.RecordType, name, class: 'IN' }] }), 53, server);
