// A TCP and UDP echo server for the data-plane tests, run inside a task namespace:
// `node echo-server.js PORT`. Prints "ready" once both sockets listen.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const port = Number(process.argv[2] ?? 7000);
const tcp = createServer((s) => {
  s.on('error', () => undefined);
  s.pipe(s);
});
const udp = createSocket('udp4');
udp.on('message', (msg, from) => udp.send(msg, from.port, from.address));
let ready = 0;
const up = (): void => {
  if (++ready === 2) process.stdout.write('ready\n');
};
tcp.listen(port, '0.0.0.0', up);
udp.bind(port, '0.0.0.0', up);
