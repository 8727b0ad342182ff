/**
 * One line per important event, as `time level event key=value …`, on
 * stderr (the daemon's log file when it runs in the background).
 */
export interface Logger {
  info(event: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(event: string, fields?: Readonly<Record<string, unknown>>): void;
  error(event: string, fields?: Readonly<Record<string, unknown>>): void;
}

function format(level: string, event: string, fields: Readonly<Record<string, unknown>>): string {
  const parts = [new Date().toISOString(), level, event];
  for (const [k, v] of Object.entries(fields)) {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    parts.push(`${k}=${/\s/.test(text) ? JSON.stringify(text) : text}`);
  }
  return parts.join(' ') + '\n';
}

export function stderrLogger(base: Readonly<Record<string, unknown>> = {}): Logger {
  const write = (level: string) => (event: string, fields: Readonly<Record<string, unknown>> = {}) => {
    process.stderr.write(format(level, event, { ...base, ...fields }));
  };
  return { info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
