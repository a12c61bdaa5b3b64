// Imported first by the CLI, before the agent's modules load: keeps V8's young
// generation at its initial size (1 MB per semi-space) for the life of the process.
//
// Why: V8 doubles the young generation whenever enough objects survive its
// scavenges, up to 16 MB per semi-space (about 32 MB of RSS), and gives it back
// only in a memory-reducing collection — which an agent that wakes every second
// to poll rarely gets. Measured: the same idle agent sat at 80 MB or at 110 MB
// depending on whether that had happened yet. The growth factor is read each
// time V8 would grow the space, so setting it at run time works (unlike
// --max-semi-space-size, fixed when the heap is made, and an agent is started
// as `node main.js`, without flags). The cost is more frequent, smaller
// scavenges under load (see the footprint figures in the README).
import { setFlagsFromString } from 'node:v8';

export const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

setFlagsFromString(YOUNG_GENERATION_FLAG);
