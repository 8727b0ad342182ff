// Checks paths for the data-plane tests, from the namespace it runs in:
// `node probe.js TIMEOUT_MS tcp:HOST:PORT udp:HOST:PORT …`. Prints one JSON object
// {target: true|false} (true once the echo server's answer came back) and exits 0.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';

const [timeoutText = '2000', ...targets] = process.argv.slice(2);
const timeoutMs = Number(timeoutText);

function check(target: string): Promise<boolean> {
  const [proto, host = '', portText = '0'] = target.split(':');
  const port = Number(portText);
  const payload = `hello-${process.pid}-${target}`;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const cleanups: (() => void)[] = [];
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      for (const c of cleanups) c();
      resolve(ok);
    };
    if (proto === 'tcp') {
      const s = connect({ host, port });
      cleanups.push(() => s.destroy());
      s.on('error', () => done(false));
      s.on('connect', () => s.write(payload));
      s.on('data', (d) => d.toString() === payload && done(true));
    } else {
      const u = createSocket('udp4');
      // UDP may be lost while neighbours resolve: resend until the deadline.
      const again = setInterval(() => u.send(payload, port, host), 200);
      cleanups.push(() => {
        clearInterval(again);
        u.close();
      });
      u.on('error', () => done(false));
      u.on('message', (m) => m.toString() === payload && done(true));
      u.send(payload, port, host);
    }
  });
}

const results = await Promise.all(targets.map(async (t) => [t, await check(t)] as const));
process.stdout.write(JSON.stringify(Object.fromEntries(results)) + '\n');
