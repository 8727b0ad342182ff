/**
 * Commands for networks, standalone containers and their address attachments.
 * Like every command, each carries what differs between managers (time, fresh IDs);
 * addresses, subnets and VXLAN IDs are NOT in the command: they are chosen at apply time
 * from the replicated rows, so every manager computes the same ones, and two concurrent
 * proposals can never both be granted the same address.
 */
/** Who holds an address: a task, a standalone container, or a service (its VIP, vip-apply.ts). */
export type OwnerKind = 'task' | 'container' | 'vip';
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
      /** No egress (absent in entries written before schema 8 = false). */
      readonly internal?: boolean;
      /** The `mtu` driver option (checked by the control); absent = the node's default. */
      readonly mtu?: number;
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
      /** Attachments made beforehand with AttachNetwork for this container ID (they are claimed). */
      readonly attachmentIds: readonly string[];
      /** Extra DNS names on its networks (validated by checkAliases); absent = none. */
      readonly aliases?: readonly string[];
      /**
       * Networks to attach in this same apply: the container and its addresses are recorded
       * together or not at all, so a crash of the caller can never strand an address.
       */
      readonly networks?: readonly ContainerNetworkRequest[];
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
      /**
       * For an owner that does not exist yet: how long the reservation lasts (ms) before the
       * leader frees it; absent = RESERVATION_TTL_MS. Ignored when the owner exists.
       */
      readonly reserveMs?: number;
    }
  | { readonly op: 'attachment.detach'; readonly at: number; readonly id: string }
  | {
      /**
       * The leader frees reservations whose deadline passed (reservations.ts). Apply re-checks
       * each one against `at`, so a reservation claimed meanwhile is kept.
       */
      readonly op: 'attachment.expire';
      readonly at: number;
      readonly ids: readonly string[];
    };

/** One network of a container created with its attachments (container.create's `networks`). */
export interface ContainerNetworkRequest {
  /** Network ID, unique ID prefix or name: resolved at apply. */
  readonly network: string;
  /** A specific IPv4 address; absent = the next free one. */
  readonly address?: string;
}

const OPS: ReadonlySet<string> = new Set([
  'network.create',
  'network.update',
  'network.remove',
  'container.create',
  'container.update',
  'container.remove',
  'attachment.attach',
  'attachment.detach',
  'attachment.expire',
]);

export function isNetworkCommand(cmd: { readonly op: string }): cmd is NetworkCommand {
  return OPS.has(cmd.op);
}
