/**
 * Per-module tracing, switched on by the SHOAL_TRACE environment variable
 * (a comma-separated list of module names, or "all"), written to stderr.
 * Example: SHOAL_TRACE=transport node ... Tracing is for developers chasing
 * a problem; it is off by default and costs one boolean test when off.
 */

export type TraceFn = (text: string) => void;

function enabledModules(): ReadonlySet<string> {
  const raw = process.env['SHOAL_TRACE'] ?? '';
  return new Set(raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0));
}

/** Returns a tracer for `module`, or a no-op if SHOAL_TRACE does not name it. */
export function tracer(module: string): TraceFn {
  const modules = enabledModules();
  if (!modules.has(module) && !modules.has('all')) return () => {};
  return (text) => {
    process.stderr.write(`${new Date().toISOString()} ${module} ${text}\n`);
  };
}
