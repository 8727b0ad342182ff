/** Worker thread of first-pki.ts: makes the root CA, the node's key and certificate, posts them, ends. */
import { parentPort, workerData } from 'node:worker_threads';
import { firstPki, type FirstPkiRequest } from './first-pki.js';

parentPort!.postMessage(await firstPki(workerData as FirstPkiRequest));
