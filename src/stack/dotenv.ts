/**
 * The `.env` file beside the first compose file (and `env_file:` files): one
 * KEY=VALUE a line, `#` comments, blank lines, an optional `export ` prefix,
 * values optionally in single quotes (taken literally) or double quotes
 * (with \n, \t, \" and \\ escapes). Pure: the caller reads the file.
 */

export class DotenvError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const body = line.startsWith('export ') ? line.slice(7).trimStart() : line;
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!KEY.test(key)) throw new DotenvError(index + 1, `"${key}" is not a variable name`);
    // A bare KEY (no "=") names a variable without giving it a value: it stays unset here.
    if (eq < 0) return;
    out.set(key, unquote(body.slice(eq + 1).trim(), index + 1));
  });
  return out;
}

function unquote(v: string, line: number): string {
  const q = v[0];
  if (q === "'" || q === '"') {
    const end = v.lastIndexOf(q);
    if (end === 0) throw new DotenvError(line, `the value ${v} has no closing ${q}`);
    const inner = v.slice(1, end);
    if (q === "'") return inner;
    return inner.replace(/\\([nt"\\])/g, (_m, ch: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[ch] ?? ch);
  }
  // Unquoted: a " #" starts a comment.
  const hash = v.search(/\s#/);
  return (hash < 0 ? v : v.slice(0, hash)).trimEnd();
}
