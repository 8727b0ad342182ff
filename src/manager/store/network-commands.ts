/**
 * Commands for networks, standalone containers and their address attachments.
 * Like every command, each carries what differs between managers (time, fresh IDs);
 * addresses, subnets and VXLAN IDs are NOT in the command: they are chosen at apply time
 * from the replicated rows, so every manager computes the same ones, and two concurrent
 * proposals can never both be granted the same address.
 */
export type OwnerKind = 'task' | 'container';
export type ContainerStateWord = 'created' | 'running' | 'exited' | 'dead';

/** What a standalone container is made of: given at creation, kept in its row. */
export interface ContainerFields {
  readonly id: string;
  readonly name: string;
  readonly nodeId: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Container image (absent in entries written before images, and for processes). */
  readonly image?: string;
  /** With an image: when to pull it; absent = 'missing'. */
  readonly pull?: string;
}

export type NetworkCommand =
  | {
      readonly op: 'network.create';
      readonly at: number;
      readonly id: string;
      readonly name: string;
      readonly driver: 'overlay';
      /** Requested addressing (text as the user gave it); absent = from the default pools. */
      readonly subnet?: string;
      readonly gateway?: string;
      readonly ipRange?: string;
      readonly attachable: boolean;
      readonly labels: Readonly<Record<string, string>>;
    }
  | {
      readonly op: 'network.update';
      readonly at: number;
      readonly id: string;
      /** Optimistic concurrency: the version the client read; 0 = unconditional. */
      readonly version: number;
      readonly labelsAdd: Readonly<Record<string, string>>;
      readonly labelsRemove: readonly string[];
    }
  | { readonly op: 'network.remove'; readonly at: number; readonly id: string }
  | (ContainerFields & {
      readonly op: 'container.create';
      readonly at: number;
      /** Attachments made beforehand with AttachNetwork for this container ID. */
      readonly attachmentIds: readonly string[];
    })
  | {
      readonly op: 'container.update';
      readonly at: number;
      readonly id: string;
      readonly version: number;
      readonly state?: ContainerStateWord;
      readonly exitCode?: number;
      readonly labelsAdd: Readonly<Record<string, string>>;
      readonly labelsRemove: readonly string[];
    }
  | { readonly op: 'container.remove'; readonly at: number; readonly id: string }
  | {
      readonly op: 'attachment.attach';
      readonly at: number;
      /** Network ID, unique ID prefix or name: resolved at apply, atomically with the allocation. */
      readonly network: string;
      readonly ownerKind: OwnerKind;
      readonly ownerId: string;
      readonly nodeId: string;
      /** A specific IPv4 address; absent = the next free one in rotation order. */
      readonly address?: string;
    }
  | { readonly op: 'attachment.detach'; readonly at: number; readonly id: string };

const OPS: ReadonlySet<string> = new Set([
  'network.create',
  'network.update',
  'network.remove',
  'container.create',
  'container.update',
  'container.remove',
  'attachment.attach',
  'attachment.detach',
]);

export function isNetworkCommand(cmd: { readonly op: string }): cmd is NetworkCommand {
  return OPS.has(cmd.op);
}
