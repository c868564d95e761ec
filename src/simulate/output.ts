/**
 * Runs the simulator over synthesized templates and writes its results: per group
 * `<group>.json` (configuration, summary, timeline), `<group>.csv` (one row per evaluation) and
 * `<group>.svg` (the chart). Every file is deterministic byte for byte.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderChart } from './chart';
import { simulate, type SimulationOptions, type Timeline } from './engine';
import { loadGroups, type SimGroup } from './stack-model';
import { summarize, type SimulationSummary } from './summary';
import { BUILT_IN_TRACES, resolveTrace } from './trace';

/** One group's replay and its summary. */
export interface GroupSimulation {
  /** File stem of the group's outputs: the group's logical name, prefixed by its stack when a folder holds several stacks. */
  readonly id: string;
  readonly timeline: Timeline;
  readonly summary: SimulationSummary;
}

/** Options of `simulateTemplates`. */
export interface SimulateTemplatesOptions extends SimulationOptions {
  /**
   * Seed of the noisy built-in trace.
   * @default 1
   */
  readonly seed?: number;
  /**
   * The directory a relative trace path is resolved against.
   * @default process.cwd()
   */
  readonly cwd?: string;
  /**
   * Only these example folders (for `writeSimulationCharts`).
   * @default - every folder of the templates directory
   */
  readonly examples?: readonly string[];
}

/** Replays every group of a main template or folder on a trace (a built-in name or a file). */
export function simulateTemplates(input: string, trace: string, options: SimulateTemplatesOptions = {}): GroupSimulation[] {
  const groups = loadGroups(input);
  const stacks = new Set(groups.map((g) => g.stack));
  return groups.map((g: SimGroup) => {
    const timeline = simulate(g, resolveTrace(trace, g, options.seed ?? 1, options.cwd), options);
    return { id: stacks.size > 1 ? `${g.stack}.${g.name}` : g.name, timeline, summary: summarize(timeline) };
  });
}

/** The timeline as CSV: one row per evaluation, alarm states and the signals sent at that time. */
export function timelineCsv(timeline: Timeline): string {
  const alarmNames = timeline.alarms.map((a) => a.name);
  const header = ['t', 'demand', 'needed', 'members', 'ready', 'capacity', 'served', 'metrics', ...alarmNames.map((a) => `alarm:${a}`), 'signals'];
  const byTime = new Map<number, string[]>();
  for (const s of timeline.signals) {
    const list = byTime.get(s.t) ?? [];
    list.push(`${s.policy} ${s.result} ${s.from}->${s.to}`);
    byTime.set(s.t, list);
  }
  const rows = timeline.samples.map((s) =>
    [s.t, s.demand, s.needed, s.members, s.ready, s.capacity, s.served, s.metrics ? 1 : 0, ...alarmNames.map((a) => s.alarms[a]), (byTime.get(s.t) ?? []).join('; ')]
      .map(String)
      .map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
      .join(','),
  );
  return [header.join(','), ...rows].join('\n') + '\n';
}

/** The JSON document of one replay. */
export function timelineJson(sim: GroupSimulation): string {
  const { timeline, summary } = sim;
  return (
    JSON.stringify(
      {
        stack: timeline.stack,
        group: timeline.group,
        trace: timeline.trace,
        config: timeline.config,
        summary,
        alarms: timeline.alarms,
        skipped: timeline.skipped,
        signals: timeline.signals,
        cooldowns: timeline.cooldowns,
        samples: timeline.samples,
      },
      null,
      1,
    ) + '\n'
  );
}

/** Writes `<id>.json`, `<id>.csv` and `<id>.svg` of each replay into `outDir`; returns the paths. */
export function writeSimulation(sims: readonly GroupSimulation[], outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const sim of sims) {
    const files: [string, string][] = [
      [`${sim.id}.json`, timelineJson(sim)],
      [`${sim.id}.csv`, timelineCsv(sim.timeline)],
      [`${sim.id}.svg`, renderChart(sim.timeline, sim.summary)],
    ];
    for (const [name, text] of files) {
      const file = path.join(outDir, name);
      fs.writeFileSync(file, text);
      written.push(file);
    }
  }
  return written;
}

/** The built-in traces the example charts show. */
export const EXAMPLE_TRACES: readonly string[] = ['step', 'ramp', 'noisy', 'outage'];

/**
 * Writes one chart per example group and trace: for every `<templatesDir>/<example>/heat/` with an
 * autoscaling group, `<outDir>/<example>/simulation/<group>.<trace>.svg`. Called by the synth
 * script after the templates are written, so the charts are regenerated with them. Returns the
 * paths written, sorted.
 */
export function writeSimulationCharts(templatesDir: string, outDir: string = templatesDir, options: SimulateTemplatesOptions = {}): string[] {
  const written: string[] = [];
  for (const example of fs.readdirSync(templatesDir).sort()) {
    if (options.examples && !options.examples.includes(example)) continue;
    const heat = path.join(templatesDir, example, 'heat');
    if (!fs.existsSync(heat) || !fs.statSync(heat).isDirectory()) continue;
    let hasGroups = true;
    try {
      loadGroups(heat);
    } catch (e) {
      if ((e as { code?: string }).code === 'SO_USAGE' && /no OS::Heat::AutoScalingGroup/.test((e as Error).message)) hasGroups = false;
      else throw e;
    }
    if (!hasGroups) continue;
    const dir = path.join(outDir, example, 'simulation');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const trace of EXAMPLE_TRACES) {
      if (!BUILT_IN_TRACES[trace]) continue;
      for (const sim of simulateTemplates(heat, trace, options)) {
        const file = path.join(dir, `${sim.id}.${trace}.svg`);
        fs.writeFileSync(file, renderChart(sim.timeline, sim.summary));
        written.push(file);
      }
    }
  }
  return written.sort();
}
