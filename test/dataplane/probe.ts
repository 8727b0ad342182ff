// Checks one path for the data-plane tests: `node probe.js tcp|udp HOST PORT TIMEOUT_MS`.
// Exits 0 once a message comes back from the echo server, 1 otherwise (with the reason on stderr).
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';

const [proto, host = '', portText = '7000', timeoutText = '2000'] = process.argv.slice(2);
const port = Number(portText);
const timeoutMs = Number(timeoutText);
const payload = `hello-${process.pid}`;
const fail = (why: string): never => {
  process.stderr.write(`${proto} ${host}:${port}: ${why}\n`);
  process.exit(1);
};
setTimeout(() => fail('timed out'), timeoutMs).unref();
if (proto === 'tcp') {
  const s = connect({ host, port });
  s.on('error', (e) => fail(e.message));
  s.on('connect', () => s.write(payload));
  s.on('data', (d) => {
    if (d.toString() === payload) process.exit(0);
  });
} else {
  const u = createSocket('udp4');
  u.on('error', (e) => fail(e.message));
  u.on('message', (m) => {
    if (m.toString() === payload) process.exit(0);
  });
  // UDP may be lost while neighbours resolve: resend until the deadline.
  const send = (): void => u.send(payload, port, host);
  send();
  setInterval(send, 200).unref();
}
