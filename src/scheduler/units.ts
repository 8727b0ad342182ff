/**
 * Human units for scheduler messages: memory in binary units (512MiB, 1.5GiB) and CPU in
 * whole or fractional CPUs (1 CPU, 0.5 CPUs), as `--reserve-memory` / `--reserve-cpu` take them.
 */
const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new Error(`formatBytes: bad byte count ${bytes}`);
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < binaryUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${trimmed(value)}${binaryUnits[unit]}`;
}

export function formatCpus(nanoCpus: number): string {
  if (!Number.isFinite(nanoCpus) || nanoCpus < 0) throw new Error(`formatCpus: bad CPU amount ${nanoCpus}`);
  const cpus = nanoCpus / 1e9;
  const text = trimmed(cpus);
  return `${text} ${text === '1' ? 'CPU' : 'CPUs'}`;
}

/** At most two decimals, without trailing zeros: 1.50 -> "1.5", 2.00 -> "2". */
function trimmed(value: number): string {
  return String(Math.round(value * 100) / 100);
}
