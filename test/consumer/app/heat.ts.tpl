/**
 * Renders the consumer's stack to Heat: `node heat.js <outdir>`. The stack with the user's own
 * Terraform elements must be refused (its message is printed as `REFUSED: ...`); the same stack
 * without them is written to <outdir>.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { writeHeat } from 'scaleout';
import { ConsumerStack } from './stack';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: node heat.js <outdir>');
// cdktf's App creates its (here unused) outdir in its constructor.
fs.mkdirSync(outdir, { recursive: true });

const mixed = new ConsumerStack(new App({ outdir: path.join(outdir, '.cdktf-mixed') }), 'consumer', { terraformOnly: true });
try {
  writeHeat(mixed, path.join(outdir, 'refused'));
  console.log('ACCEPTED: the stack holding the user L1 was rendered to Heat');
} catch (e) {
  console.log(`REFUSED: ${(e as Error).message}`);
}

const heatOnly = new ConsumerStack(new App({ outdir: path.join(outdir, '.cdktf-heat') }), 'consumer', { terraformOnly: false });
for (const file of writeHeat(heatOnly, outdir)) console.log(`WROTE: ${file}`);
