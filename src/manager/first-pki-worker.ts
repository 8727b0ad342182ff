/** Worker thread of first-pki.ts (unbundled build): makes the root CA, the node's key and certificate, posts them, ends. */
import { parentPort } from 'node:worker_threads';
import { serveFirstPki } from './first-pki.js';

void serveFirstPki(parentPort!);
