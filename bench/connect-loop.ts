// A client for the adopt-gap bench (bench/adopt-gap.ts), run inside a namespace:
// `node connect-loop.js NAME PORT`. Connects to NAME:PORT (resolved anew each time, through the
// namespace's resolver) every 10 ms, sends a line and waits for its echo (300 ms per attempt).
// Each outage — from the last answered attempt (0: none yet) to the next one — is printed as one
// JSON line {"from": ms, "to": ms, "dnsFailures": n, "connectFailures": n} (Unix ms), and an
// answered attempt at most every 200 ms as {"ok": ms}. Stops when its stdin closes.
// With ADOPT_GAP_TRACE=1, each unanswered attempt also goes to stderr (see attempt()).
import { connect } from 'node:net';

const [name = 'web', portText = '7000'] = process.argv.slice(2);
const port = Number(portText);
const ATTEMPT_MS = 300;
const EVERY_MS = 10;
const TRACE = process.env['ADOPT_GAP_TRACE'] === '1';

type Outcome = 'ok' | 'dns' | 'connect';

function attempt(): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = `hi-${Date.now()}\n`;
    const s = connect({ host: name, port });
    // ADOPT_GAP_TRACE=1: every attempt that is not answered, and every connection, on stderr as
    // `CLIENT <ms> <address or "no answer from the resolver"> <what>`. A timeout before the lookup
    // answered is a stalled resolver, not a connection failure (issue #14's outliers were those).
    let addr = '';
    const trace = (what: string): void => {
      if (TRACE) process.stderr.write(`CLIENT ${Date.now()} ${addr === '' ? 'no answer from the resolver' : addr} ${what}\n`);
    };
    const timer = setTimeout(() => {
      trace('timeout');
      finish('connect');
    }, ATTEMPT_MS);
    function finish(o: Outcome): void {
      clearTimeout(timer);
      s.destroy();
      resolve(o);
    }
    s.on('lookup', (_e, a) => (addr = String(a)));
    s.on('error', (e: NodeJS.ErrnoException) => {
      trace(e.code ?? 'error');
      finish(e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'dns' : 'connect');
    });
    s.on('connect', () => trace('connected'));
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
