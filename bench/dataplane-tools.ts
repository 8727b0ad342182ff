// Helpers the data-plane benchmark runs inside namespaces:
//   `node dataplane-tools.js reach TIMEOUT_MS PORT IP…`: connects to every IP at PORT until each
//     answered (accepted or refused: either way the packet made the round trip); prints the ms
//     until all did, or "timeout N/M".
//   `node dataplane-tools.js sink PORT`: counts bytes received; prints "ready", then the total on SIGTERM.
//   `node dataplane-tools.js blast IP PORT SECONDS`: sends as fast as it can; prints bytes/s.
import { connect, createServer } from 'node:net';

const [mode, ...rest] = process.argv.slice(2);

async function reach(timeoutMs: number, port: number, ips: string[]): Promise<void> {
  const t0 = performance.now();
  const pending = new Set(ips);
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0 && Date.now() < deadline) {
    await Promise.all(
      [...pending].map(
        (ip) =>
          new Promise<void>((resolve) => {
            const s = connect({ host: ip, port });
            const t = setTimeout(() => {
              s.destroy();
              resolve();
            }, 300);
            const answered = (): void => {
              clearTimeout(t);
              pending.delete(ip);
              s.destroy();
              resolve();
            };
            s.on('connect', answered);
            s.on('error', (e: NodeJS.ErrnoException) => {
              if (e.code === 'ECONNREFUSED') answered();
              else {
                clearTimeout(t);
                setTimeout(resolve, 20);
              }
            });
          }),
      ),
    );
  }
  process.stdout.write(pending.size === 0 ? `${Math.round(performance.now() - t0)}\n` : `timeout ${ips.length - pending.size}/${ips.length}\n`);
}

if (mode === 'reach') {
  const [timeout = '30000', port = '9', ...ips] = rest;
  await reach(Number(timeout), Number(port), ips);
} else if (mode === 'sink') {
  let total = 0;
  const server = createServer((s) => s.on('data', (d: Buffer) => (total += d.length)).on('error', () => undefined));
  server.listen(Number(rest[0] ?? 5201), '0.0.0.0', () => process.stdout.write('ready\n'));
  process.on('SIGTERM', () => {
    process.stdout.write(`${total}\n`);
    process.exit(0);
  });
} else if (mode === 'blast') {
  const [ip = '', port = '5201', seconds = '3'] = rest;
  const chunk = Buffer.alloc(256 * 1024, 7);
  let sent = 0;
  const s = connect({ host: ip, port: Number(port) });
  const t0 = performance.now();
  const stopAt = t0 + Number(seconds) * 1000;
  const pump = (): void => {
    while (performance.now() < stopAt) {
      sent += chunk.length;
      if (!s.write(chunk)) return void s.once('drain', pump);
    }
    s.end(() => {
      process.stdout.write(`${Math.round(sent / ((performance.now() - t0) / 1000))}\n`);
      process.exit(0);
    });
  };
  s.on('connect', pump);
  s.on('error', (e) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  });
}
