/**
 * Mutation testing of the Raft core and the store's IPAM apply code:
 *   npm run test:mutants [-- --only name,name] [-- --no-baseline] [-- --sweeps-only] [-- --list]
 *
 * Copies the tree (src, test, bench, bin, proto, the build) to a temporary
 * directory, then for each mutant: applies it to the copy (never to this
 * worktree), rebuilds incrementally, and runs only the simulator + checker
 * part of the suite with npm test's seed counts — test/sim/mutant-check.js
 * for core mutants (scenarios, then the seed sweeps, stopping at the first
 * failure), the store's property test and orchestrator simulation
 * (test/manager/rolling-property.test.js) for IPAM mutants. A mutant is
 * caught when a check fails; the table says which check, at which seed, by
 * which invariant. Exit status 1 if any mutant survived (or a build failed).
 * With --sweeps-only the scripted scenarios are skipped: it shows whether the
 * random fault profiles alone catch a mutant within npm test's seed counts.
 *
 * Each mutant names its site by a code snippet that must occur exactly once
 * in its file, so unrelated edits elsewhere do not move it; a snippet that is
 * missing or ambiguous stops the run with an error naming it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Suite = 'raft' | 'store';

interface Mutant {
  readonly name: string;
  /** The bug class it stands for (the first five are issue #19's table). */
  readonly what: string;
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  readonly suite: Suite;
}

const CORE = 'src/raft/core';
const MUTANTS: readonly Mutant[] = [
  {
    name: 'figure8-commit-by-counting', what: 'the leader commits an entry of an earlier term by counting replicas', suite: 'raft',
    file: `${CORE}/log.ts`, find: 'if (maxIndex > this.committed && this.termOrZero(maxIndex) === term) {', replace: 'if (maxIndex > this.committed && this.termOrZero(maxIndex) <= term) {',
  },
  {
    name: 'vote-during-lease', what: "followers grant votes during a leader lease (check-quorum's lease ignored)", suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'if (!force && inLease) return false;', replace: 'if (!force && inLease && force) return false;',
  },
  {
    name: 'read-index-without-quorum', what: 'a safe ReadIndex answered at once, without a quorum round', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: "if (this.cfg.readOnly === 'lease-based' && this.leaseValid()) {", replace: 'if (this.leaseValid() || this.term > 0) {',
  },
  {
    name: 'vote-not-durable', what: 'the vote is not made durable before the vote reply is sent', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'hs.term !== this.term || hs.vote !== this.vote,', replace: 'hs.term !== this.term,',
  },
  {
    name: 'overwrite-without-truncation', what: 'in-place overwrite of conflicting entries without truncation', suite: 'raft',
    file: `${CORE}/memory-storage.ts`,
    find: 'this.ents.length = startIndex - this.compactedIndex - 1;\n    for (let k = skip; k < entries.length; k++) this.ents.push(entries[k]!);',
    replace: 'for (let k = skip; k < entries.length; k++) this.ents[entries[k]!.index - this.compactedIndex - 1] = entries[k]!;',
  },
  {
    name: 'entries-not-durable', what: 'new entries are acknowledged without a sync', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'mustSync: entries.length > 0 || snapshot', replace: 'mustSync: snapshot',
  },
  {
    name: 'term-not-durable', what: 'a new term is not synced before messages in it are sent', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'snapshot !== null || hs.term !== this.term || hs.vote', replace: 'snapshot !== null || hs.vote',
  },
  {
    name: 'vote-ignores-log', what: 'a vote is granted to a candidate whose log is behind', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'if (canVote && this.log.isUpToDate(m.logIndex, m.logTerm)) {', replace: 'if (canVote) {',
  },
  {
    name: 'up-to-date-by-length', what: 'the voting rule compares log length only, not the last term', suite: 'raft',
    file: `${CORE}/log.ts`, find: 'return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());', replace: 'return lastIndex >= this.lastIndex() || ourTerm < 0;',
  },
  {
    name: 'double-vote', what: 'a node votes twice in one term (its recorded vote is ignored)', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'const canVote = this.vote === m.from || (this.vote === NONE && this.lead === NONE)', replace: 'const canVote = this.vote === m.from || this.lead === NONE',
  },
  {
    name: 'majority-wrong-for-even', what: 'a quorum of an even-sized configuration is half of it', suite: 'raft',
    file: `${CORE}/quorum.ts`, find: 'return Math.floor(voterCount / 2) + 1;', replace: 'return Math.ceil(voterCount / 2);',
  },
  {
    name: 'no-check-quorum-step-down', what: 'a leader cut off from its quorum never steps down', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'if (!this.quorumActive()) {', replace: 'if (!this.quorumActive() && this.term < 0) {',
  },
  {
    name: 'read-before-own-term-commit', what: 'a new leader answers reads before committing an entry of its term', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'if (this.log.termOrZero(this.log.committed) !== this.term) {\n      // Our commit index may lag', replace: 'if (this.term < 0) {\n      // Our commit index may lag',
  },
  {
    name: 'heartbeat-commit-uncapped', what: "heartbeats tell followers to commit past what they are known to hold", suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'const commit = Math.min(pr.match, this.log.committed);', replace: 'const commit = this.log.committed;',
  },
  {
    name: 'lease-not-dated', what: 'lease reads trusted until check-quorum notices (the bug the simulator found)', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'return stamp > 0 && this.ticks - stamp < this.cfg.electionTicks - 2;', replace: 'return stamp >= 0;',
  },
  {
    name: 'fast-prevote-ignores-lease', what: 'the pre-vote of a leader-lost report breaks the leases of followers that still hear the leader', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'if (rank === 0) this.hup(false);', replace: "if (rank === 0) this.startCampaign('pre', true);",
  },
  {
    name: 'leader-lost-under-lease-reads', what: 'a leader-lost report gives up the lease that a leader answers lease reads by', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: "if (!this.cfg.preVote || !this.cfg.checkQuorum || this.cfg.readOnly !== 'safe') return;", replace: 'if (!this.cfg.preVote || !this.cfg.checkQuorum) return;',
  },
  {
    name: 'ipam-freed-bit-kept', what: "a released address's bitmap bit is not cleared (IPAM)", suite: 'store',
    file: 'src/manager/store/attachments.ts', find: '  setPageBit(page, off % pageBits, false);\n  savePage(db, n.id, p, page);\n', replace: '',
  },
  {
    name: 'ipam-owner-release-partial', what: "a removed task's or container's addresses are not all freed (IPAM)", suite: 'store',
    file: 'src/manager/store/attachments.ts', find: 'for (const a of attachmentsOfOwner(db, ownerKind, ownerId)) releaseAttachment(db, a);', replace: 'for (const a of attachmentsOfOwner(db, ownerKind, ownerId).slice(1)) releaseAttachment(db, a);',
  },
  {
    name: 'ipam-bit-not-set', what: 'an allocated address is not marked in the bitmap: handed out twice (IPAM)', suite: 'store',
    file: 'src/manager/store/attachments.ts', find: '  setPageBit(page, off % pageBits, true);\n  savePage(db, n.id, Math.floor(off / pageBits), page);\n', replace: '',
  },
  {
    name: 'acks-before-persist', what: 'any node (a follower acknowledging entries too) sends before its persist', suite: 'raft',
    file: 'src/raft/send-before-persist.ts', find: "return role === 'leader' && rd.messages.every((m) => m.type === 'append' || m.type === 'heartbeat');", replace: 'return true;',
  },
];

/**
 * Mutants the simulator does not catch yet, kept so that the gap stays visible: run them with
 * --only NAME. `follower-commits-unchecked-tail` survived all 1,579 runs on 2026-12-07: it needs a
 * follower whose log matches the leader's up to the end of a size-limited append and holds a stale
 * suffix beyond it, and the leader's fast backtracking (reject hints by term) always probes exactly
 * at the first divergent index, so the sweeps and scenarios never produce it. The receiver-rule
 * unit test 'commit = min(leaderCommit, last new entry)' in test/raft/core/figure2.test.ts guards it.
 * `leader-counts-unsynced-entries` survived too (again 1,740 runs on 2026-12-08, with the
 * simulator's node sending a leader's appends before its persist as the shell now does): the
 * simulated node persists in the same step right after such a send, so no acknowledgement can
 * arrive before the leader's own copy is durable. In the node shell the persist runs one
 * event-loop turn later, so the rule this mutant breaks is what keeps that turn safe; the unit
 * test test/raft/core/send-before-persist.test.ts pins it (acks stepped in before the leader's
 * persist must not commit).
 */
const KNOWN_SURVIVORS: readonly Mutant[] = [
  {
    name: 'follower-commits-unchecked-tail', what: "a follower commits past the entries the leader's append covered", suite: 'raft',
    file: `${CORE}/log.ts`, find: 'this.commitTo(Math.min(leaderCommit, lastNew));', replace: 'this.commitTo(Math.min(leaderCommit, this.lastIndex()));',
  },
  {
    name: 'leader-counts-unsynced-entries', what: 'the leader counts its own entries toward a quorum before they are durable', suite: 'raft',
    file: `${CORE}/raw-node.ts`, find: 'this.log.append([{ term: this.term, index, kind, data }]);', replace: 'this.log.append([{ term: this.term, index, kind, data }]);\n    this.progress.get(this.id)?.maybeUpdate(index);',
  },
];
const ALL = [...MUTANTS, ...KNOWN_SURVIVORS];

interface Outcome {
  readonly mutant: Mutant;
  readonly status: 'caught' | 'survived' | 'build-failed' | 'check-crashed';
  readonly by: string;
  readonly seconds: number;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const COPIED = ['src', 'test', 'bench', 'bin', 'proto', 'dist', 'tsconfig.json', 'package.json'];
const CHECK_TIMEOUT_MS = 20 * 60_000;

function parseArgs(argv: readonly string[]): { only: Set<string> | null; baseline: boolean; list: boolean; sweepsOnly: boolean } {
  let only: Set<string> | null = null;
  let sweepsOnly = false;
  let baseline = true;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') {
      const v = argv[++i];
      if (v === undefined) throw new Error('--only needs a comma-separated list of mutant names');
      only = new Set(v.split(','));
      for (const n of only) if (!ALL.some((m) => m.name === n)) throw new Error(`no mutant named ${n}; known: ${ALL.map((m) => m.name).join(', ')}`);
    } else if (a === '--no-baseline') baseline = false;
    else if (a === '--list') list = true;
    else if (a === '--sweeps-only') sweepsOnly = true;
    else throw new Error(`unknown argument ${a} (expected --only a,b | --no-baseline | --sweeps-only | --list)`);
  }
  return { only, baseline, list, sweepsOnly };
}

/** Every snippet must occur exactly once in the worktree's file: checked before anything runs. */
function checkSites(mutants: readonly Mutant[]): void {
  const bad: string[] = [];
  for (const m of mutants) {
    const text = fs.readFileSync(path.join(root, m.file), 'utf8');
    const n = text.split(m.find).length - 1;
    if (n !== 1) bad.push(`${m.name}: its snippet occurs ${n} times in ${m.file} (must be exactly once):\n    ${m.find.replace(/\n/g, '\n    ')}`);
  }
  if (bad.length > 0) throw new Error(`mutation sites not found — update test/sim/mutants.ts:\n  ${bad.join('\n  ')}`);
}

function run(cmd: string, args: readonly string[], cwd: string, timeoutMs: number): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, SIM_TRACE: '', SIM_SEED: '', SIM_SCENARIO: '' } });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` };
}

function build(copy: string): { ok: boolean; out: string } {
  const r = run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], copy, 10 * 60_000);
  return { ok: r.code === 0, out: r.out };
}

/** Runs the suite's checks in the copy; returns how the mutant was caught, or null if it survived. */
function check(copy: string, suite: Suite, sweepsOnly: boolean): { caught: boolean; by: string; crashed: boolean } {
  if (suite === 'raft') {
    const r = run(process.execPath, ['dist/test/sim/mutant-check.js', ...(sweepsOnly ? ['--sweeps-only'] : [])], copy, CHECK_TIMEOUT_MS);
    const line = r.out.split('\n').find((l) => l.startsWith('MUTANT-CHECK '));
    if (!line) return { caught: false, by: `check crashed (exit ${r.code}): ${r.out.slice(-400)}`, crashed: true };
    const res = JSON.parse(line.slice('MUTANT-CHECK '.length)) as { caught: { check: string; seed: number; nodes: number; by: string; message: string } | null; runs: number };
    if (res.caught === null) return { caught: false, by: `all ${res.runs} runs passed`, crashed: false };
    const c = res.caught;
    return { caught: true, by: `${c.by} — ${c.check}, seed ${c.seed}${c.nodes ? ` (${c.nodes} nodes)` : ''}, after ${res.runs} runs: ${c.message.slice(0, 160)}`, crashed: false };
  }
  const r = run(process.execPath, ['--test', '--test-concurrency=1', 'dist/test/manager/rolling-property.test.js'], copy, CHECK_TIMEOUT_MS);
  if (r.code === 0) return { caught: false, by: 'rolling-property passed', crashed: false };
  // The property test names the seed and step and the broken store invariant in its assertion message.
  const lines = r.out.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const at = lines.findIndex((l) => /seed \d+/.test(l) && !l.startsWith('#'));
  const first = at >= 0 ? lines.slice(at, at + 3).join(' ') : (lines.find((l) => /error:|Error/.test(l)) ?? `exit ${r.code}`);
  return { caught: true, by: `store invariant — rolling-property: ${first.replace(/^error: ['|-]*/, '').slice(0, 220)}`, crashed: false };
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const chosen = args.only === null ? MUTANTS : ALL.filter((m) => args.only!.has(m.name));
  if (args.list) {
    for (const m of MUTANTS) console.log(`${m.name.padEnd(34)} ${m.file}: ${m.what}`);
    for (const m of KNOWN_SURVIVORS) console.log(`${m.name.padEnd(34)} ${m.file}: ${m.what} (known survivor, only with --only)`);
    return 0;
  }
  checkSites(chosen);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-mutants-'));
  const outcomes: Outcome[] = [];
  try {
    for (const entry of COPIED) {
      const from = path.join(root, entry);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(copy, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    console.log(`mutants: ${chosen.length} of ${MUTANTS.length}, in a copy of the tree at ${copy}`);
    const first = build(copy);
    if (!first.ok) throw new Error(`the unmutated copy does not build:\n${first.out}`);
    if (args.baseline) {
      // Without this a mutant "caught" by a check that fails anyway would mean nothing.
      for (const suite of new Set(chosen.map((m) => m.suite))) {
        const base = check(copy, suite, args.sweepsOnly);
        if (base.caught || base.crashed) throw new Error(`the unmutated tree fails its ${suite} checks: ${base.by}`);
        console.log(`baseline (${suite}): ${base.by}`);
      }
    }
    for (const m of chosen) {
      const file = path.join(copy, m.file);
      const original = fs.readFileSync(file, 'utf8');
      const started = performance.now();
      let outcome: Outcome;
      try {
        fs.writeFileSync(file, original.replace(m.find, m.replace));
        const b = build(copy);
        if (!b.ok) {
          outcome = { mutant: m, status: 'build-failed', by: b.out.split('\n').slice(0, 3).join(' '), seconds: 0 };
        } else {
          const c = check(copy, m.suite, args.sweepsOnly);
          outcome = { mutant: m, status: c.crashed ? 'check-crashed' : c.caught ? 'caught' : 'survived', by: c.by, seconds: 0 };
        }
      } finally {
        fs.writeFileSync(file, original);
      }
      outcome = { ...outcome, seconds: Math.round((performance.now() - started) / 1000) };
      outcomes.push(outcome);
      console.log(`${outcome.status.toUpperCase().padEnd(9)} ${m.name} (${outcome.seconds} s): ${outcome.by}`);
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  console.log('\n| mutant | bug class | file | result | caught by (invariant — check, seed) |\n|---|---|---|---|---|');
  for (const o of outcomes) {
    console.log(`| \`${o.mutant.name}\` | ${o.mutant.what} | ${o.mutant.file.replace('src/', '')} | ${o.status} | ${o.by.replace(/\|/g, '/')} |`);
  }
  const bad = outcomes.filter((o) => o.status !== 'caught');
  console.log(`\n${outcomes.length - bad.length} of ${outcomes.length} mutants caught${bad.length > 0 ? `; NOT caught: ${bad.map((o) => o.mutant.name).join(', ')}` : ''}`);
  return bad.length === 0 ? 0 : 1;
}

process.exitCode = main();
