// Type-aware lint. The rules that matter most here catch un-awaited I/O
// (no-floating-promises, no-misused-promises), which breaks servers silently.
import tseslint from 'typescript-eslint';

// The Raft core must stay a pure, deterministic state machine: no clock, no
// randomness, no timers, no I/O. These restrictions keep it so mechanically.
const impureGlobals = [
  { name: 'Date', message: 'Raft core is pure: time arrives as tick().' },
  { name: 'setTimeout', message: 'Raft core is pure: time arrives as tick().' },
  { name: 'setInterval', message: 'Raft core is pure: time arrives as tick().' },
  { name: 'setImmediate', message: 'Raft core is pure: no scheduling inside.' },
  { name: 'queueMicrotask', message: 'Raft core is pure: no scheduling inside.' },
  { name: 'performance', message: 'Raft core is pure: no clock inside.' },
  { name: 'process', message: 'Raft core is pure: no process access.' },
  { name: 'fetch', message: 'Raft core is pure: no I/O.' },
  { name: 'require', message: 'Raft core is pure: no dynamic loading.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', '.coord/**', 'node_modules/**', 'bin/shoal.cjs', 'eslint.config.js', 'scripts/*.mjs', 'src/generated/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/raft/core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Raft core is pure: randomness is a seeded source handed in.' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'net', 'os', 'crypto', 'child_process', '@grpc/*', 'better-sqlite3'], message: 'Raft core is pure: no I/O modules.' }] }],
    },
  },
  {
    // Apply code runs on every manager and must produce the same rows everywhere:
    // the time and fresh IDs come inside the command, never from the applying manager.
    files: ['src/manager/store/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'Date', message: 'The store is deterministic: take the time from the command.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'The store is deterministic: take IDs from the command.' }],
      'no-restricted-imports': [
        'error',
        {
          paths: ['node:crypto', 'crypto'].map((name) => ({
            name,
            importNames: ['randomBytes', 'randomUUID', 'randomInt', 'getRandomValues', 'webcrypto'],
            message: 'The store is deterministic: take IDs and secrets from the command (hashing is fine).',
          })),
        },
      ],
    },
  },
  {
    // One node, two roles (docs/design/node.md): the worker side and the shared plumbing never load the
    // manager; only the node daemon (src/node/daemon.ts, role.ts) composes the two.
    files: ['src/worker/**/*.ts', 'src/security/**/*.ts', 'src/node/**/*.ts'],
    ignores: ['src/node/daemon.ts', 'src/node/role.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/manager/*', '**/manager/**'], message: 'src/worker, src/security and src/node plumbing must not import src/manager: shared code lives in src/node.' }] }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
