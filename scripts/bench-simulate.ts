/**
 * Benchmark of the simulator: 100 groups, each replayed on 7 days of 1-minute samples (a daily
 * cycle with seeded noise), on the committed web-app and fractals groups. Prints the median wall
 * time of 5 runs. The goal is under 1 s on one core; it is measured here, never asserted in a test.
 * Usage: `npx ts-node scripts/bench-simulate.ts`.
 */
import * as path from 'path';
import { loadGroups, seededRandom, simulate, summarize, type SimGroup, type Trace } from '../src/simulate';

const ROOT = path.resolve(__dirname, '..');
const DAYS = 7;
const GROUPS = 100;

function weekTrace(seed: number): Trace {
  const random = seededRandom(seed);
  const points = [];
  for (let t = 0; t <= DAYS * 86400; t += 60) {
    const cycle = 0.5 + 0.5 * (1 - Math.cos((2 * Math.PI * (t - 4 * 3600)) / 86400));
    points.push({ t, demand: Math.round((0.3 + 3.5 * cycle) * (0.85 + 0.3 * random()) * 1000) / 1000 });
  }
  return { name: 'week', points, relative: true };
}

function main(): void {
  const pool: SimGroup[] = [...loadGroups(path.join(ROOT, 'templates', 'web-app', 'heat')), ...loadGroups(path.join(ROOT, 'templates', 'fractals', 'heat'))];
  const groups = Array.from({ length: GROUPS }, (_, i) => pool[i % pool.length]);
  const traces = groups.map((_, i) => weekTrace(i + 1));
  const samples = traces.reduce((n, t) => n + t.points.length, 0);
  const times: number[] = [];
  let actions = 0;
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    actions = 0;
    for (let i = 0; i < groups.length; i++) {
      const timeline = simulate(groups[i], traces[i]);
      actions += summarize(timeline).scaleOuts;
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const sorted = [...times].sort((a, b) => a - b);
  process.stdout.write(
    `simulate: ${GROUPS} groups x ${DAYS} days of 1-minute samples (${samples} trace points, ${actions} scale-outs per run)\n` +
      `  runs (ms): ${times.map((t) => t.toFixed(0)).join(', ')}\n  median: ${sorted[2].toFixed(0)} ms (goal < 1000 ms on one core)\n`,
  );
}

main();
