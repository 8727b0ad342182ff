/**
 * `shoal ca client-cert|inspect`: certificates for remote administration and
 * a look at the cluster's root. Both talk to the local manager's socket by
 * default (client certificates can be minted only there or by a manager).
 */
import type { Argv } from 'yargs';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ShoalError } from '../../src/errors.js';
import type { CertificateResponse__Output } from '../../src/generated/shoal/v1/CertificateResponse.js';
import type { InspectCAResponse__Output } from '../../src/generated/shoal/v1/InspectCAResponse.js';
import type { RotateCAResponse__Output } from '../../src/generated/shoal/v1/RotateCAResponse.js';
import { X509Certificate, randomUUID } from 'node:crypto';
import { loadProtos } from '../../src/proto/load.js';
import { certificateInfo, createKeyAndCsr, splitPem } from '../../src/security/pki.js';
import { targetFor, unaryCall, type GlobalArgs } from '../client.js';
import { CLIENT_CHANNEL_OPTIONS, clientCredentials } from '../tls.js';
import { printJson } from '../output.js';

function caClient(target: string): InstanceType<ReturnType<typeof loadProtos>['grpcObject']['shoal']['v1']['CertificateAuthority']> {
  return new (loadProtos().grpcObject.shoal.v1.CertificateAuthority)(target, clientCredentials(target), CLIENT_CHANNEL_OPTIONS);
}

export function registerCa(cli: Argv<GlobalArgs>): Argv<GlobalArgs> {
  return cli.command('ca', 'The cluster\'s certificate authority', (y) =>
    y
      .command(
        'client-cert',
        'Write a client certificate (role admin: Control and Watch) for `shoal -H HOST:PORT --tls-dir DIR` and other gRPC clients',
        (yy) =>
          yy
            .option('out', { type: 'string', demandOption: true, describe: 'Directory to write ca.pem, cert.pem and key.pem into (created 0700)' })
            .option('name', { type: 'string', default: 'admin', describe: 'The certificate\'s common name (shows who called, in logs)' })
            .example('$0 ca client-cert --out ~/.shoal-admin', 'Then: shoal -H 10.0.0.5:4242 --tls-dir ~/.shoal-admin node ls'),
        async (a) => {
          const target = targetFor(a);
          const { keyPem, csrPem } = await createKeyAndCsr();
          const client = caClient(target);
          let res: CertificateResponse__Output;
          try {
            res = await unaryCall(target, (md, o, cb) => client.IssueClientCertificate({ csr: csrPem, name: a.name }, md, o, cb));
          } finally {
            client.close();
          }
          const out = resolve(String(a.out));
          mkdirSync(out, { recursive: true, mode: 0o700 });
          chmodSync(out, 0o700);
          writeFileSync(join(out, 'key.pem'), keyPem, { mode: 0o600 });
          writeFileSync(join(out, 'cert.pem'), res.certificate, { mode: 0o600 });
          writeFileSync(join(out, 'ca.pem'), res.caCertificate, { mode: 0o600 });
          const info = certificateInfo(res.certificate);
          if (a.quiet) return void process.stdout.write(`${out}\n`);
          process.stdout.write(
            `Wrote ${out}/{ca.pem,cert.pem,key.pem}: role admin, name ${info.commonName}, valid until ${new Date(info.notAfter).toISOString()}.\n` +
              `Use it with: shoal -H HOST:PORT --tls-dir ${out} …  (or export SHOAL_TLS_DIR=${out})\n` +
              'A CA rotation (`shoal ca rotate`) does not reissue it: after the next one completes, run this command again.\n',
          );
        },
      )
      .command('inspect', 'Show the root certificate, its digest and expiry, node certificate lifetime, the deny list and rotation progress', (yy) => yy, async (a) => {
        const target = targetFor(a);
        const r = await inspectCa(target);
        const record = {
          digest: r.digest,
          notBefore: new Date(Number(r.notBeforeMs)).toISOString(),
          notAfter: new Date(Number(r.notAfterMs)).toISOString(),
          nodeCertExpiry: `${Math.round(Number(r.nodeCertExpiryMs) / 3_600_000)}h`,
          deniedCertificates: r.deniedCertificates,
          rotation: rotationRecord(r),
          ...(r.retiredDigest ? { retiredDigest: r.retiredDigest, retiredAt: new Date(Number(r.retiredMs)).toISOString() } : {}),
          clientCertificates: clientCertificateNote(r),
          certificate: r.caCertificate,
          ...(r.signingChain ? { signingChain: chainRecord(r.signingChain) } : {}),
        };
        if (a.format === 'json') return printJson(record);
        process.stdout.write(
          `Root CA digest:        ${record.digest}\nValid:                 ${record.notBefore} to ${record.notAfter}\n` +
            `Node certificates:     ${record.nodeCertExpiry}\nDenied certificates:   ${record.deniedCertificates} (removed nodes)\nRotation:              ${rotationLine(r)}\n` +
            r.rotationPending.map((n) => `  pending:             ${n}\n`).join('') +
            `Client certificates:   ${record.clientCertificates}\n` +
            (record.signingChain ? `Signed by:             ${record.signingChain.map((c) => `${c.subject} (until ${c.notAfter})`).join(' <- ')} <- root\n` : '') +
            `\n${r.caCertificate}` +
            (r.signingChain ? `\nIntermediate chain (signer first):\n${r.signingChain}` : ''),
        );
      })
      .command(
        'rotate',
        'Replace the root CA: the new root is cross-signed by the old one, every node is reissued from it, then the old root is dropped and the join tokens change',
        (yy) =>
          yy
            .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Return once the rotation has started instead of waiting for every node' })
            .option('force', {
              type: 'boolean',
              default: false,
              describe: 'Start even if a rotation is in progress: a new root replaces its root, and every node is reissued again',
            })
            .option('cert', {
              type: 'string',
              describe:
                'Rotate to this CA instead of a new root (PEM): a self-signed ECDSA P-256 root, or an intermediate followed by its chain up to the root (nodes are then issued by the intermediate and trust the root); needs --key',
            })
            .option('key', { type: 'string', describe: 'The private key of --cert (of the intermediate, for a chain; unencrypted PEM, PKCS#8 or SEC1); it is kept in the replicated state like the current root\'s' })
            .example('$0 ca rotate', 'Rotate and wait until every node holds a certificate from the new root')
            .example('$0 ca rotate --cert root.pem --key root.key', 'Rotate to a root made elsewhere (e.g. by your own PKI)')
            .example('$0 ca rotate --cert chain.pem --key intermediate.key', 'Rotate to an intermediate of your PKI: chain.pem holds the intermediate, then its issuers up to the root')
            .example('$0 ca rotate --force', 'Abandon the rotation in progress for a fresh root (e.g. its key may have leaked)')
            .example('$0 ca rotate -d && $0 ca inspect', 'Start it, then look at the progress'),
        async (a) => {
          const target = targetFor(a);
          if ((a.cert === undefined) !== (a.key === undefined)) throw new ShoalError('INVALID_ARGUMENT', '--cert and --key go together: the external root\'s certificate and its private key');
          const readPem = (flag: string, file: string): string => {
            try {
              return readFileSync(file, 'utf8');
            } catch (e) {
              throw new ShoalError('INVALID_ARGUMENT', `${flag} ${file}: ${e instanceof Error ? e.message : String(e)}`);
            }
          };
          const external = a.cert !== undefined && a.key !== undefined ? { caCertPem: readPem('--cert', a.cert), caKeyPem: readPem('--key', a.key) } : {};
          const client = caClient(target);
          let started: RotateCAResponse__Output;
          try {
            started = await unaryCall(target, (md, o, cb) => client.RotateCA({ requestId: randomUUID(), force: a.force, ...external }, md, o, cb), 30_000);
          } finally {
            client.close();
          }
          if (a.quiet) process.stdout.write(`${started.digest}\n`);
          else {
            process.stdout.write(
              (started.replacedDigest ? `Replacing the rotation to ${started.replacedDigest}: its certificates stay valid until this one completes.\n` : '') +
                `Rotating to root CA ${started.digest}: ${started.nodes} node(s) to reissue.\n` +
                `Admin client certificates (\`shoal ca client-cert\`) issued before now stop working when the rotation completes: it does not reissue them. ` +
                `Run \`shoal ca client-cert --out DIR\` again for each remote client (certificates issued from now on are from the new root and keep working).\n`,
            );
          }
          if (a.detach) return;
          let last = '';
          for (;;) {
            const r = await inspectCa(target);
            if (r.rotationDigest !== started.digest) {
              if (r.digest === started.digest) break; // completed
              // Replaced by a forced rotation (which may have completed already).
              throw new ShoalError(
                'ABORTED',
                `the rotation to ${started.digest} was replaced by another one (\`shoal ca rotate --force\`) before it completed; follow that one with \`shoal ca inspect\``,
              );
            }
            const line = rotationLine(r);
            if (line !== last && !a.quiet) process.stdout.write(`${line}${r.rotationPending.length > 0 ? `; pending: ${r.rotationPending.join(', ')}` : ''}\n`);
            last = line;
            await new Promise((res) => setTimeout(res, 1_000));
          }
          if (!a.quiet) {
            process.stdout.write(
              'Done: every node holds a certificate from the new root; the old root is no longer trusted. New join tokens: `shoal join-token worker|manager`.\n' +
                'Admin client certificates issued before the rotation started no longer work: run `shoal ca client-cert --out DIR` again for each remote client.\n',
            );
          }
        },
      )
      .demandCommand(1, 'Say what to do: `shoal ca client-cert`, `shoal ca inspect` or `shoal ca rotate`.'),
  );
}

/** The external intermediates that sign node certificates, signer first. */
function chainRecord(chainPem: string): { subject: string; notAfter: string; pem: string }[] {
  return splitPem(chainPem).map((pem) => {
    const c = new X509Certificate(pem);
    return { subject: c.subject.replace(/\n/g, ', '), notAfter: new Date(Date.parse(c.validTo)).toISOString(), pem };
  });
}

async function inspectCa(target: string): Promise<InspectCAResponse__Output> {
  const client = caClient(target);
  try {
    return await unaryCall(target, (md, o, cb) => client.InspectCA({}, md, o, cb));
  } finally {
    client.close();
  }
}

function rotationRecord(r: InspectCAResponse__Output): { inProgress: boolean; digest?: string; startedAt?: string; done?: number; pending?: string[] } {
  if (!r.rotationDigest) return { inProgress: false };
  return { inProgress: true, digest: r.rotationDigest, startedAt: new Date(Number(r.rotationStartedMs)).toISOString(), done: r.rotationDone, pending: r.rotationPending };
}

/** What a rotation means for admin client certificates, which it does not reissue. */
function clientCertificateNote(r: InspectCAResponse__Output): string {
  const reissue = 'reissue with `shoal ca client-cert --out DIR`';
  if (r.rotationDigest) {
    return `those issued before ${new Date(Number(r.rotationStartedMs)).toISOString()} stop working when the rotation completes; ${reissue}`;
  }
  if (r.retiredDigest) {
    return `those from root ${r.retiredDigest.slice(0, 12)}… (rotated out on ${new Date(Number(r.retiredMs)).toISOString()}) no longer work; ${reissue}`;
  }
  return 'valid until they expire (a CA rotation ends them)';
}

function rotationLine(r: InspectCAResponse__Output): string {
  if (!r.rotationDigest) return 'none in progress';
  return `to ${r.rotationDigest} since ${new Date(Number(r.rotationStartedMs)).toISOString()}: ${r.rotationDone} node(s) reissued, ${r.rotationPending.length} pending`;
}

/** For `init --cert-expiry`: at least an hour (a test-only variable lowers it). */
export function checkCertExpiry(ms: number, min: number): number {
  if (ms < min) throw new ShoalError('INVALID_ARGUMENT', `--cert-expiry must be at least ${min >= 3_600_000 ? `${min / 3_600_000}h` : `${min}ms`}`);
  return ms;
}
