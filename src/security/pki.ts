/**
 * The cluster's X.509 operations: the root CA, node and client certificates,
 * key pairs and CSRs. Built on @peculiar/x509 (WebCrypto underneath, so the
 * curve arithmetic is native); reading and verifying certificates elsewhere
 * uses node:crypto's X509Certificate. No ASN.1 is written by hand here.
 */
import type * as X509 from '@peculiar/x509';
import { X509Certificate, createHash, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { ShoalError } from '../errors.js';

let x509Module: Promise<typeof X509> | null = null;

/**
 * @peculiar/x509 is loaded on first use: it (with reflect-metadata, which it
 * needs at import) adds about 0.3 s of CPU to every CLI command otherwise.
 */
function loadX509(): Promise<typeof X509> {
  x509Module ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    // Node's webcrypto is the standard Crypto object; the DOM type name is not in this project's lib.
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    return x509;
  })();
  return x509Module;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const HOUR_MS = 3_600_000;

/** Certificates start an hour in the past, so a node whose clock runs a little behind accepts them. */
export const BACKDATE_MS = HOUR_MS;
/** The root lasts 20 years, as swarm's does: rotation, not expiry, replaces it. */
export const ROOT_VALIDITY_MS = 20 * 365 * 24 * HOUR_MS;
export const DEFAULT_CERT_EXPIRY_MS = 90 * 24 * HOUR_MS;
/** The smallest --cert-expiry accepted; SHOAL_TEST_MIN_CERT_EXPIRY_MS lowers it for renewal tests only. */
export function minCertExpiryMs(): number {
  const test = Number(process.env['SHOAL_TEST_MIN_CERT_EXPIRY_MS'] ?? '');
  return test > 0 ? test : HOUR_MS;
}

/** Who a certificate speaks for: the OU of its subject. */
export type CertRole = 'manager' | 'worker' | 'admin';
export const CERT_ROLES: readonly CertRole[] = ['manager', 'worker', 'admin'];

/**
 * The name a client can check a manager's certificate against (a DNS SAN on
 * every manager certificate). Managers are reached by IP address, which no
 * certificate names, so generic clients set this as the TLS server name.
 */
export const MANAGER_SERVER_NAME = 'shoal-manager';
const CA_COMMON_NAME = 'shoal-ca';

export interface KeyPairPem {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface RootCA extends KeyPairPem {
  /** SHA-256 of the certificate (DER) in base 36, 50 characters: the digest join tokens carry. */
  readonly digest: string;
}

/**
 * A new self-signed root. `rotation` names a rotated root apart from the one it replaces
 * (`CN=shoal-ca-<rotation>`), so chain building never confuses the two subjects.
 */
export async function createRootCA(now = Date.now(), rotation?: string): Promise<RootCA> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${rotation === undefined ? CA_COMMON_NAME : `${CA_COMMON_NAME}-${dnValue(rotation)}`}`,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + ROOT_VALIDITY_MS),
    signingAlgorithm: SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString('pem');
  return { certPem, keyPem: await exportKey(keys.privateKey), digest: certificateDigest(certPem) };
}

/**
 * A root the operator brings (`shoal ca rotate --cert FILE --key FILE`), checked before anything is
 * written: one self-signed CA certificate with an ECDSA P-256 key (what the cluster signs with), valid
 * now and for at least `minRemainingMs` more, and the private key that belongs to it (PKCS#8 or SEC1
 * PEM; stored as PKCS#8). Each problem is refused with a message that names it.
 */
export function externalRootCA(certPem: string, keyPem: string, minRemainingMs: number, now = Date.now()): RootCA {
  const bad = (why: string): ShoalError => new ShoalError('INVALID_ARGUMENT', `the new root certificate ${why}`);
  const pems = splitPem(certPem);
  if (pems.length !== 1) throw bad(`file must hold exactly one PEM certificate (it holds ${pems.length})`);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pems[0] ?? '');
  } catch {
    throw bad('is not a valid X.509 certificate');
  }
  if (!cert.ca) throw bad('is not a CA certificate (basicConstraints CA:TRUE is missing)');
  if (!cert.checkIssued(cert) || !cert.verify(cert.publicKey)) throw bad('is not self-signed: give a root, or an intermediate followed by its issuers up to the root');
  const details = cert.publicKey.asymmetricKeyDetails;
  if (cert.publicKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
    throw bad(`must have an ECDSA P-256 key (it has ${cert.publicKey.asymmetricKeyType ?? '?'}${details?.namedCurve ? ` ${details.namedCurve}` : ''})`);
  }
  if (Date.parse(cert.validFrom) > now) throw bad(`is not valid yet (from ${new Date(Date.parse(cert.validFrom)).toISOString()})`);
  if (Date.parse(cert.validTo) < now + minRemainingMs) {
    throw bad(`expires on ${new Date(Date.parse(cert.validTo)).toISOString()}, before certificates it would issue now (the cluster's --cert-expiry) could expire`);
  }
  let pkcs8: string;
  try {
    pkcs8 = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw new ShoalError('INVALID_ARGUMENT', 'the new root key is not an unencrypted PEM private key (PKCS#8 or SEC1)');
  }
  if (!cert.checkPrivateKey(createPrivateKey(pkcs8))) throw new ShoalError('INVALID_ARGUMENT', 'the new root key does not belong to the new root certificate');
  const pem = cert.toString();
  return { certPem: pem, keyPem: pkcs8, digest: certificateDigest(pem) };
}

/**
 * A CA the cluster signs with: a root (`chainPem` '') or an external intermediate, whose certificate
 * and issuers below the root are `chainPem` (signer first). `certPem` and `digest` are always the
 * root's: the trust anchor and what join tokens name. `keyPem` is the signer's key.
 */
export interface SigningCA extends RootCA {
  readonly chainPem: string;
}

/** The certificate and key that sign: the intermediate of an external chain, else the root. */
export function signerOf(ca: KeyPairPem & { readonly chainPem: string }): KeyPairPem {
  return { certPem: ca.chainPem === '' ? ca.certPem : (splitPem(ca.chainPem)[0] ?? ca.certPem), keyPem: ca.keyPem };
}

/**
 * The CA for `shoal ca rotate --cert FILE --key FILE`: one self-signed root (externalRootCA), or an
 * intermediate followed by its chain up to its root, with the intermediate's key. Each problem is
 * refused with a message that names it and the certificate (1 = the first of the file): the order and
 * signatures of the chain, CA:TRUE on each, keyCertSign on the intermediate, its P-256 key, the key
 * matching it, and every certificate valid now and for at least `minRemainingMs` more.
 */
export async function externalCA(certPem: string, keyPem: string, minRemainingMs: number, now = Date.now()): Promise<SigningCA> {
  const pems = splitPem(certPem);
  if (pems.length <= 1) return { ...externalRootCA(certPem, keyPem, minRemainingMs, now), chainPem: '' };
  const bad = (why: string): ShoalError => new ShoalError('INVALID_ARGUMENT', `the --cert bundle ${why}`);
  const certs = pems.map((p, i) => {
    try {
      return new X509Certificate(p);
    } catch {
      throw bad(`holds an invalid X.509 certificate (certificate ${i + 1})`);
    }
  });
  const name = (i: number): string => `certificate ${i + 1} (${certs[i]!.subject.replace(/\n/g, ', ')})`;
  const selfSigned = (c: X509Certificate): boolean => c.checkIssued(c) && c.verify(c.publicKey);
  if (selfSigned(certs[0]!)) {
    throw bad(`starts with a self-signed root (${name(0)}): give one root alone, or the intermediate first, then each issuer up to the root`);
  }
  const last = certs.length - 1;
  if (!selfSigned(certs[last]!)) throw bad(`must end with its root, a self-signed certificate: ${name(last)} is not self-signed`);
  for (let i = 0; i < last; i++) {
    const c = certs[i]!;
    const issuer = certs[i + 1]!;
    if (!c.checkIssued(issuer) || !c.verify(issuer.publicKey)) {
      throw bad(`is out of order or broken: ${name(i)} is not signed by ${name(i + 1)}; give the intermediate first, then each issuer in order up to the root`);
    }
  }
  const x509 = await loadX509();
  // Read with @peculiar/x509: node:crypto's `ca` is also false for a CA whose key usage lacks keyCertSign.
  const parsed = pems.map((p) => new x509.X509Certificate(p));
  parsed.forEach((c, i) => {
    if (c.getExtension(x509.BasicConstraintsExtension)?.ca !== true) throw bad(`holds ${name(i)}, which is not a CA certificate (basicConstraints CA:TRUE is missing)`);
  });
  const usages = parsed[0]!.getExtension(x509.KeyUsagesExtension);
  // RFC 5280 4.2.1.3: a CA certificate whose key signs certificates must carry the extension.
  if (!usages || (usages.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw bad(`starts with an intermediate that may not sign certificates: ${name(0)} has no key usage keyCertSign`);
  }
  const key = certs[0]!.publicKey;
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw bad(`starts with an intermediate without an ECDSA P-256 key (${name(0)} has ${key.asymmetricKeyType ?? '?'}${key.asymmetricKeyDetails?.namedCurve ? ` ${key.asymmetricKeyDetails.namedCurve}` : ''})`);
  }
  certs.forEach((c, i) => {
    if (Date.parse(c.validFrom) > now) throw bad(`holds ${name(i)}, which is not valid yet (from ${new Date(Date.parse(c.validFrom)).toISOString()})`);
    if (Date.parse(c.validTo) < now + minRemainingMs) {
      throw bad(`holds ${name(i)}, which expires on ${new Date(Date.parse(c.validTo)).toISOString()}, before certificates issued now (the cluster's --cert-expiry) could expire`);
    }
  });
  let pkcs8: string;
  try {
    pkcs8 = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw new ShoalError('INVALID_ARGUMENT', 'the --key is not an unencrypted PEM private key (PKCS#8 or SEC1)');
  }
  if (!certs[0]!.checkPrivateKey(createPrivateKey(pkcs8))) {
    throw new ShoalError('INVALID_ARGUMENT', `the --key does not belong to the intermediate, ${name(0)}: give the intermediate's key`);
  }
  const root = certs[last]!.toString();
  return { certPem: root, keyPem: pkcs8, digest: certificateDigest(root), chainPem: certs.slice(0, last).map((c) => c.toString()).join('') };
}

/** A fresh P-256 key and a CSR for it. The subject asked for is ignored: the CA decides it. */
export async function createKeyAndCsr(): Promise<{ keyPem: string; csrPem: string }> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=shoal-node', keys, signingAlgorithm: SIGN });
  return { keyPem: await exportKey(keys.privateKey), csrPem: csr.toString('pem') };
}

export interface IssueRequest {
  readonly csrPem: string;
  /** CN: the node ID (or a client name for admin certificates). */
  readonly commonName: string;
  readonly role: CertRole;
  /** O: the cluster ID. */
  readonly clusterId: string;
  readonly validityMs: number;
  readonly now?: number;
}

/** Parses a CSR and checks its self-signature (proof that the requester holds the key). */
export async function checkCsr(csrPem: string): Promise<X509.Pkcs10CertificateRequest> {
  const x509 = await loadX509();
  let csr: X509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new ShoalError('INVALID_ARGUMENT', 'csr: not a PEM-encoded PKCS#10 certificate signing request');
  }
  if (!(await csr.verify())) throw new ShoalError('INVALID_ARGUMENT', 'csr: the certificate signing request has an invalid signature');
  if ((csr.publicKey.algorithm as { name?: string }).name !== 'ECDSA') throw new ShoalError('INVALID_ARGUMENT', 'csr: the key must be ECDSA P-256');
  return csr;
}

/** Signs a CSR after checking its self-signature; subject and extensions come from the CA, never from the CSR. */
export async function issueCertificate(ca: KeyPairPem, req: IssueRequest): Promise<string> {
  const csr = await checkCsr(req.csrPem);
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certPem);
  const signingKey = await importKey(ca.keyPem);
  const now = req.now ?? Date.now();
  const names = [{ type: 'dns', value: req.role === 'manager' ? MANAGER_SERVER_NAME : `shoal-${req.role}` }, { type: 'dns', value: req.commonName }];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${dnValue(req.commonName)}, OU=${req.role}, O=${dnValue(req.clusterId)}`,
    issuer: caCert.subject,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + req.validityMs),
    signingAlgorithm: SIGN,
    publicKey: csr.publicKey,
    signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return cert.toString('pem');
}

/**
 * The new root's key and subject in a CA certificate issued by the old root: during a
 * rotation, certificates from the new root carry it, so nodes that still trust only the old
 * root verify them (leaf -> cross-signed new root -> old root).
 */
export async function crossSignRoot(oldRoot: KeyPairPem, newRootPem: string, intermediatesBelow = false): Promise<string> {
  const x509 = await loadX509();
  const oldCert = new x509.X509Certificate(oldRoot.certPem);
  const newCert = new x509.X509Certificate(newRootPem);
  const signingKey = await importKey(oldRoot.keyPem);
  const publicKey = newCert.publicKey;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: newCert.subject,
    issuer: oldCert.subject,
    notBefore: newCert.notBefore,
    notAfter: oldCert.notAfter < newCert.notAfter ? oldCert.notAfter : newCert.notAfter,
    signingAlgorithm: SIGN,
    publicKey,
    signingKey,
    extensions: [
      // Path length 0 (only leaves below) unless the new CA signs through an external intermediate.
      new x509.BasicConstraintsExtension(true, intermediatesBelow ? undefined : 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(oldCert),
    ],
  });
  return cert.toString('pem');
}

/** The certificates of a PEM bundle or chain, each as PEM, in order. */
export function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((c) => `${c}\n`) ?? [];
}

/** PEM certificates (or bundles) joined into one bundle, one newline between them. */
export function joinPem(...pems: readonly string[]): string {
  return pems.flatMap((p) => splitPem(p)).join('');
}

/** The join-token digest of a CA certificate: SHA-256 of its DER, base 36, 50 characters. */
export function certificateDigest(certPem: string): string {
  const der = new X509Certificate(splitPem(certPem)[0] ?? certPem).raw;
  const hex = createHash('sha256').update(der).digest('hex');
  return BigInt('0x' + hex).toString(36).padStart(50, '0').slice(0, 50);
}

export interface CertificateInfo {
  readonly commonName: string;
  readonly role: string;
  readonly organization: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly serial: string;
}

/** Reads the first certificate of a PEM chain with node:crypto. */
export function certificateInfo(pem: string): CertificateInfo {
  const cert = new X509Certificate(splitPem(pem)[0] ?? pem);
  const field = (name: string): string => {
    const line = cert.subject.split('\n').find((l) => l.startsWith(`${name}=`));
    return line ? line.slice(name.length + 1) : '';
  };
  return {
    commonName: field('CN'),
    role: field('OU'),
    organization: field('O'),
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
    serial: cert.serialNumber,
  };
}

/**
 * True if the first certificate of `certPem` leads, through the certificates after it in
 * `certPem` (a cross-signed root during a rotation), to a root of the bundle `caPem`, with
 * every certificate on the way valid at `now`.
 */
export function verifiedBy(certPem: string, caPem: string, now = Date.now()): boolean {
  return issuingRoot(certPem, caPem, now) !== null;
}

const MAX_PATH = 8;

/** The root of `caPem` that `certPem` (a chain, leaf first) leads to, or null; see verifiedBy. */
export function issuingRoot(certPem: string, caPem: string, now = Date.now()): string | null {
  const [leaf, ...rest] = splitPem(certPem).map((p) => new X509Certificate(p));
  const roots = splitPem(caPem).map((p) => new X509Certificate(p));
  const valid = (c: X509Certificate): boolean => Date.parse(c.validFrom) <= now && now <= Date.parse(c.validTo);
  const signs = (issuer: X509Certificate, c: X509Certificate): boolean => c.checkIssued(issuer) && c.verify(issuer.publicKey);
  let current = leaf;
  // Leaf, an external CA's intermediates, at most one cross-signed root (after the intermediates of
  // the CA it was signed by), then a root: a bound on a path, not a policy.
  for (let depth = 0; current && depth < MAX_PATH; depth++) {
    if (!valid(current)) return null;
    const root = roots.find((r) => valid(r) && signs(r, current as X509Certificate));
    if (root) return root.toString();
    current = rest.find((c) => c.ca && signs(c, current as X509Certificate));
  }
  return null;
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<webcrypto.CryptoKey> {
  const b64 = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return webcrypto.subtle.importKey('pkcs8', Buffer.from(b64, 'base64'), EC, false, ['sign']);
}

/** Positive 128-bit serial (leading bit clear, so DER keeps it positive without padding). */
function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] ?? 0) & 0x7f;
  return b.toString('hex');
}

/** IDs are base 36, but a name from a user (client certificates) must not inject DN syntax. */
function dnValue(v: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(v)) throw new ShoalError('INVALID_ARGUMENT', `"${v}" cannot be a certificate name: use 1-64 letters, digits, '.', '_' or '-'`);
  return v;
}
