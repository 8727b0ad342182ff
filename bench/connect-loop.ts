// A client for the adopt-gap bench (bench/adopt-gap.ts), run inside a namespace:
// `node connect-loop.js NAME PORT`. Connects to NAME:PORT (resolved anew each time, through the
// namespace's resolver) every 10 ms, sends a line and waits for its echo (300 ms per attempt).
// Each outage — from the last answered attempt (0: none yet) to the next one — is printed as one
// JSON line {"from": ms, "to": ms, "dnsFailures": n, "connectFailures": n} (Unix ms), and an
// answered attempt at most every 200 ms as {"ok": ms}. Stops when its stdin closes.
import { connect } from 'node:net';

const [name = 'web', portText = '7000'] = process.argv.slice(2);
const port = Number(portText);
const ATTEMPT_MS = 300;
const EVERY_MS = 10;

type Outcome = 'ok' | 'dns' | 'connect';

function attempt(): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = `hi-${Date.now()}\n`;
    const s = connect({ host: name, port });
    const timer = setTimeout(() => finish('connect'), ATTEMPT_MS);
    function finish(o: Outcome): void {
      clearTimeout(timer);
      s.destroy();
      resolve(o);
    }
    s.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'dns' : 'connect'));
    s.on('connect', () => s.write(payload));
    s.on('data', (d) => {
      if (d.toString().includes(payload.trim())) finish('ok');
    });
  });
}

let stop = false;
process.stdin.on('end', () => (stop = true));
process.stdin.on('close', () => (stop = true));
process.stdin.resume();

let lastOk = 0;
let lastPrinted = 0;
let dnsFailures = 0;
let connectFailures = 0;
while (!stop) {
  const o = await attempt();
  const now = Date.now();
  if (o === 'ok') {
    if (dnsFailures > 0 || connectFailures > 0) process.stdout.write(JSON.stringify({ from: lastOk, to: now, dnsFailures, connectFailures }) + '\n');
    else if (now - lastPrinted >= 200) {
      process.stdout.write(JSON.stringify({ ok: now }) + '\n');
      lastPrinted = now;
    }
    lastOk = now;
    dnsFailures = 0;
    connectFailures = 0;
  } else if (o === 'dns') dnsFailures++;
  else connectFailures++;
  await new Promise((r) => setTimeout(r, EVERY_MS));
}
