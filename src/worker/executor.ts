/**
 * The seam between the worker agent and whatever runs a task. The agent says
 * what should run (TaskSpec) and when to stop it; an executor makes it so and
 * reports each transition. The process executor runs a supervised child
 * process; a network-namespace executor (one interface per attachment, VXLAN
 * between hosts) plugs in behind the same interface later.
 */

/** One network attachment as the dispatcher hands it down. */
export interface AttachmentSpec {
  /** The network's name (as the user knows it). */
  readonly network: string;
  readonly networkId: string;
  /** The endpoint's address with prefix, e.g. "10.0.1.5/24". */
  readonly address: string;
  readonly gateway: string;
  readonly subnet: string;
  readonly vxlanId: number;
  /** The network is internal: no egress (absent in assignments saved before schema 8 = false). */
  readonly internal?: boolean;
  /** The network's MTU option; absent or 0 = the node's default. */
  readonly mtu?: number;
}

export interface TaskSpec {
  /** Task or standalone-container ID; unique on the node. */
  readonly id: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly attachments: readonly AttachmentSpec[];
  /** Working directory; default: the task's own directory under the agent's data dir. */
  readonly workDir?: string;
  /** Container image: the task runs through the node's container engine (DockerExecutor); absent = a process. */
  readonly image?: string;
  /** With an image: when to pull it; absent = 'missing'. */
  readonly pull?: PullPolicy;
}

export type PullPolicy = 'missing' | 'always' | 'never';

/** The states an executor reports, in the order a healthy task passes through them. */
export type ExecState = 'preparing' | 'starting' | 'running' | 'complete' | 'failed' | 'shutdown';

export const TERMINAL_STATES: ReadonlySet<ExecState> = new Set(['complete', 'failed', 'shutdown']);

export interface ExecStatus {
  readonly taskId: string;
  readonly state: ExecState;
  /** When the transition happened (ms since the epoch). */
  readonly at: number;
  /** For failed/complete: the exit code when known. */
  readonly exitCode?: number;
  /** What happened, for a person: "exit status 3", "killed by SIGKILL after 10 s grace", … */
  readonly message: string;
  /** The OS process ID while it runs (for re-adoption after an agent restart). */
  readonly pid?: number;
}

export interface Executor {
  /** Starts the task. Resolves once it is running (or has already ended); failures are reported as a 'failed' status, not thrown. */
  start(spec: TaskSpec): Promise<ExecStatus>;
  /** Stops it: a polite signal, then a forceful one after `graceMs`. Resolves when it has ended. */
  stop(taskId: string, graceMs: number): Promise<ExecStatus | null>;
  /**
   * After an agent restart: takes back a task that was started by a previous
   * agent process and may still run. Returns its status ('running' if it was
   * adopted, 'failed' if it is gone).
   */
  adopt(spec: TaskSpec, pid: number): ExecStatus;
  status(taskId: string): ExecStatus | null;
  /** Path of the task's combined stdout/stderr log. */
  logPath(taskId: string): string;
  /** Every transition of every task. */
  onStatus(listener: (s: ExecStatus) => void): () => void;
  /** Stops nothing; releases watchers. Tasks keep running (they belong to the node, not the agent process). */
  close(): void;
}

/** `SHOAL_ADDR_<NETWORK>`: the network name upper-cased, with every other character turned into `_`. */
export function addressEnvName(network: string): string {
  return `SHOAL_ADDR_${network.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
