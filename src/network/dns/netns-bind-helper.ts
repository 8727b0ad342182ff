/**
 * Run by netns-socket.ts as `ip netns exec NS node netns-bind-helper.js HOST PORT` with an IPC
 * channel: binds a UDP socket and a TCP server on HOST:PORT inside namespace NS, hands both to
 * the parent (sockets keep the namespace they were made in), and exits once the parent has
 * them. Errors go to the parent as a message, so it can say what failed.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';

function fail(e: unknown): void {
  process.send?.({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  process.exit(1);
}

async function main(): Promise<void> {
  const [host = '', portText = ''] = process.argv.slice(2);
  const port = Number(portText);
  if (!process.send) throw new Error('no IPC channel: run by netns-socket.ts only');
  const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => resolve());
  });
  const tcp = net.createServer();
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(udp.address().port, host, () => resolve());
  });
  const send = (msg: object, handle: dgram.Socket | net.Server): Promise<void> =>
    new Promise((resolve, reject) => process.send?.(msg, handle, {}, (err) => (err ? reject(err) : resolve())));
  await send({ kind: 'udp', port: udp.address().port }, udp);
  await send({ kind: 'tcp' }, tcp);
  process.on('message', (m: { kind?: string }) => {
    if (m.kind === 'done') process.exit(0);
  });
}

main().catch(fail);
