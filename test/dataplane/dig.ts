// DNS queries from the namespace it runs in, for the namespace-host tests:
// `node dig.js SERVER TIMEOUT_MS NAME…` (type A, one UDP query per name, all at once). Prints a
// JSON array, one object per name in order: the reply's rcode and A answers and how long it
// took, or `rcode: "TIMEOUT"` when nothing came back in time. One process for several names:
// starting Node costs about a second on a loaded machine.
import { createSocket } from 'node:dgram';
import * as packet from 'dns-packet';

interface Result {
  rcode: string;
  addresses: string[];
  ms: number;
}

const [server = '', timeoutText = '5000', ...names] = process.argv.slice(2);

function ask(name: string, id: number): Promise<Result> {
  const started = Date.now();
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    const finish = (rcode: string, addresses: string[]): void => {
      clearTimeout(timer);
      socket.close();
      resolve({ rcode, addresses, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish('TIMEOUT', []), Number(timeoutText));
    socket.on('message', (msg) => {
      const reply = packet.decode(msg) as packet.DecodedPacket & { rcode?: string };
      if (reply.id !== id) return;
      finish(reply.rcode ?? '?', (reply.answers ?? []).flatMap((a) => (a.type === 'A' && typeof a.data === 'string' ? [a.data] : [])));
    });
    socket.send(packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type: 'A', name, class: 'IN' }] }), 53, server);
  });
}

const results = await Promise.all(names.map((n, i) => ask(n, 4300 + i)));
process.stdout.write(JSON.stringify(results) + '\n');
