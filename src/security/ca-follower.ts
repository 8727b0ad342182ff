/**
 * A node's side of a CA rotation: it reports, with each heartbeat, which
 * root its certificate leads to, and renews when the leader's answer says
 * the cluster signs with another root or trusts another set of roots.
 */
import type { NodeMaterial } from './node-material.js';
import { certificateDigest, issuingRoot, splitPem } from './pki.js';

/**
 * What a material's certificates say, read once per material: parsing and verifying them (X.509
 * parse, signature check, digests) was a visible part of an idle manager's profile, since every
 * heartbeat answer (and each manager's rotation check, every second) asks. A renewal brings a new
 * material object, so a memo per object cannot go stale.
 */
const digestsOf = new WeakMap<NodeMaterial, { readonly root: string; readonly held: readonly string[] }>();

function digests(m: NodeMaterial): { readonly root: string; readonly held: readonly string[] } {
  let d = digestsOf.get(m);
  if (!d) {
    const root = issuingRoot(m.certPem, m.caPem);
    d = { root: root ? certificateDigest(root) : '', held: splitPem(m.caPem).map(certificateDigest).sort() };
    digestsOf.set(m, d);
  }
  return d;
}

/** The digest of the root `m`'s certificate leads to ('' if no root of its bundle verifies it). */
export function materialRootDigest(m: NodeMaterial): string {
  return digests(m).root;
}

/** True if a node holding `m` should renew to match the cluster's signing root and trust bundle. */
export function materialOutdated(m: NodeMaterial, signingDigest: string, trustDigests: readonly string[]): boolean {
  if (signingDigest === '') return false;
  const d = digests(m);
  if (d.root !== signingDigest) return true;
  const want = [...trustDigests].sort();
  return d.held.length !== want.length || d.held.some((x, i) => x !== want[i]);
}

/** What the agent needs: a digest to report, and where to send the leader's answer. */
export interface CertificateFollower {
  rootDigest(): string;
  onTarget(signingDigest: string, trustDigests: readonly string[]): void;
}

export class CaFollower implements CertificateFollower {
  /** `renew` is the renewer's renewNow (concurrent calls share one renewal); omitted = report only. */
  constructor(
    private readonly material: () => NodeMaterial,
    private readonly renew?: () => Promise<void>,
    private readonly onError?: (e: unknown) => void,
  ) {}

  rootDigest(): string {
    return materialRootDigest(this.material());
  }

  onTarget(signingDigest: string, trustDigests: readonly string[]): void {
    if (!this.renew || !materialOutdated(this.material(), signingDigest, trustDigests)) return;
    this.renew().catch((e: unknown) => this.onError?.(e));
  }
}
