// A peer in its own process for the stream-broken tests: a transport (node
// id argv[2]) that sends a heartbeat to node argv[3] at argv[4] every 20 ms
// until it is killed. Prints "ready" once its first batch went out.
import { heartbeat, startNode } from './helpers.js';

const [self, to, addr] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]!];
const node = await startNode(self);
node.transport.setPeer(to, addr);
let seq = 0;
setInterval(() => node.transport.send([heartbeat(self, to, ++seq)]), 20);
node.transport.send([heartbeat(self, to, ++seq)]);
console.log('ready');
