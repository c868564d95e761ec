/**
 * One SVG chart per group and trace, written by hand so its bytes are the same on every machine.
 *
 * What it shows, on one time axis:
 * - grey bands: the group refuses signals (a resize running, then its cooldown);
 * - red hatched bands: every server's measures are missing;
 * - the blue area: demand, in members at the scale-out threshold (how many the load needs);
 * - the thick black step line: members in the group; the dashed green one: members taking load;
 * - one row per alarm above the plot: a filled mark for each signal Heat acted on, a hollow one
 *   for each it refused for cooldown or a running resize (refusals for "no change in capacity" at
 *   the minimum or maximum are left out: with `repeat_actions` they come every evaluation).
 */
import type { Timeline } from './engine';
import type { SimulationSummary } from './summary';

const W = 960;
const ROW = 14;
const PLOT_H = 260;
const LEFT = 56;
const RIGHT = 16;

function f(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1).replace(/\.0$/, '');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function tickStep(span: number): number {
  for (const s of [300, 600, 1800, 3600, 7200, 10800, 21600, 43200, 86400]) if (span / s <= 12) return s;
  return 86400 * Math.ceil(span / 86400 / 12);
}

function clock(t: number): string {
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  return m === 0 ? `${h}h` : `${h}h${String(m).padStart(2, '0')}`;
}

/** The chart of a timeline, as SVG text. */
export function renderChart(timeline: Timeline, summary: SimulationSummary): string {
  const { samples, signals, cooldowns, config } = timeline;
  const alarms = timeline.alarms;
  const top = 44 + alarms.length * ROW;
  const H = top + PLOT_H + 58;
  const t0 = samples[0]?.t ?? 0;
  const t1 = samples[samples.length - 1]?.t ?? 1;
  const span = Math.max(1, t1 - t0);
  const x = (t: number) => LEFT + ((t - t0) / span) * (W - LEFT - RIGHT);
  const demandMembers = samples.map((s) => s.demand / config.loadPerMemberAtScaleOut);
  const yTop = Math.max(1, Math.ceil(Math.max(...samples.map((s) => Math.max(s.members, s.needed)), ...demandMembers))) + 1;
  const y = (v: number) => top + PLOT_H - (Math.min(v, yTop) / yTop) * PLOT_H;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<defs><pattern id="gap" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" fill="#f2b8b5"/></pattern></defs>`,
  );
  const verdictColor = summary.verdict === 'pass' ? '#1a7f37' : summary.verdict === 'warn' ? '#9a6700' : '#cf222e';
  out.push(
    `<text x="${LEFT}" y="18" font-size="13" font-weight="bold">${esc(`${timeline.stack}/${timeline.group} on '${timeline.trace}'`)} <tspan fill="${verdictColor}">${summary.verdict.toUpperCase()}</tspan></text>`,
  );
  out.push(`<text x="${LEFT}" y="34" fill="#57606a">${esc(summary.reasons.join('; ') || 'reached the needed size in time, no scale-in under load, no oscillation')}</text>`);
  // alarm rows
  alarms.forEach((a, i) => {
    const ry = 44 + i * ROW + ROW / 2;
    out.push(`<text x="${LEFT - 4}" y="${f(ry + 4)}" text-anchor="end" fill="#57606a" font-size="9">${i + 1}</text>`);
    out.push(`<line x1="${LEFT}" y1="${f(ry)}" x2="${W - RIGHT}" y2="${f(ry)}" stroke="#eaeef2"/>`);
    for (const s of signals) {
      if (s.alarm !== a.name && `${s.alarm}>${s.policy}` !== a.name) continue;
      if (s.policy !== a.policy || s.result === 'no-change') continue;
      const acted = s.result === 'scaled';
      out.push(`<circle cx="${f(x(s.t))}" cy="${f(ry)}" r="3" fill="${acted ? '#cf222e' : '#ffffff'}" stroke="#cf222e"><title>${esc(`${clock(s.t)} ${a.name} → ${s.policy}: ${s.result} ${s.from}→${s.to}`)}</title></circle>`);
    }
  });
  // bands
  for (const c of cooldowns) {
    const a = Math.max(t0, c.from);
    const b = Math.min(t1, c.to);
    if (b > a) out.push(`<rect x="${f(x(a))}" y="${top}" width="${f(x(b) - x(a))}" height="${PLOT_H}" fill="#d0d7de" fill-opacity="0.45"/>`);
  }
  let gapFrom: number | undefined;
  for (const s of [...samples, { t: t1 + 1, metrics: true }]) {
    if (!s.metrics && gapFrom === undefined) gapFrom = s.t;
    if (s.metrics && gapFrom !== undefined) {
      out.push(`<rect x="${f(x(gapFrom))}" y="${top}" width="${f(x(Math.min(s.t, t1)) - x(gapFrom))}" height="${PLOT_H}" fill="url(#gap)" fill-opacity="0.6"/>`);
      gapFrom = undefined;
    }
  }
  // grid and axes
  const yStep = yTop <= 10 ? 1 : yTop <= 20 ? 2 : Math.ceil(yTop / 10);
  for (let v = 0; v <= yTop; v += yStep) {
    out.push(`<line x1="${LEFT}" y1="${f(y(v))}" x2="${W - RIGHT}" y2="${f(y(v))}" stroke="#eaeef2"/>`);
    out.push(`<text x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end">${v}</text>`);
  }
  const step = tickStep(span);
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    out.push(`<line x1="${f(x(t))}" y1="${top + PLOT_H}" x2="${f(x(t))}" y2="${top + PLOT_H + 4}" stroke="#57606a"/>`);
    out.push(`<text x="${f(x(t))}" y="${top + PLOT_H + 16}" text-anchor="middle">${clock(t)}</text>`);
  }
  out.push(`<rect x="${LEFT}" y="${top}" width="${W - LEFT - RIGHT}" height="${PLOT_H}" fill="none" stroke="#8c959f"/>`);
  out.push(`<text x="14" y="${top + PLOT_H / 2}" transform="rotate(-90 14 ${top + PLOT_H / 2})" text-anchor="middle" fill="#57606a">members</text>`);
  // demand area
  const area: string[] = [`${f(x(t0))},${f(y(0))}`];
  samples.forEach((s, i) => {
    area.push(`${f(x(s.t))},${f(y(demandMembers[i]))}`);
  });
  area.push(`${f(x(t1))},${f(y(0))}`);
  out.push(`<polygon points="${compress(area).join(' ')}" fill="#54aeff" fill-opacity="0.35" stroke="#0969da" stroke-width="1"/>`);
  // step lines
  const stepLine = (value: (i: number) => number): string => {
    const pts: string[] = [];
    let prev: number | undefined;
    samples.forEach((s, i) => {
      const v = value(i);
      if (prev !== undefined && v !== prev) pts.push(`${f(x(s.t))},${f(y(prev))}`);
      if (v !== prev || i === samples.length - 1) pts.push(`${f(x(s.t))},${f(y(v))}`);
      prev = v;
    });
    return pts.join(' ');
  };
  out.push(`<polyline points="${stepLine((i) => samples[i].ready)}" fill="none" stroke="#1a7f37" stroke-width="2" stroke-dasharray="5 3"/>`);
  out.push(`<polyline points="${stepLine((i) => samples[i].members)}" fill="none" stroke="#24292f" stroke-width="2"/>`);
  // legend
  const ly = top + PLOT_H + 34;
  const legend: [string, string][] = [
    ['<rect width="14" height="8" fill="#54aeff" fill-opacity="0.35" stroke="#0969da"/>', `demand (members at the scale-out threshold; 1 = ${f3(config.loadPerMemberAtScaleOut)} ${config.unit})`],
    ['<line x2="14" y1="4" y2="4" stroke="#24292f" stroke-width="2"/>', 'members'],
    ['<line x2="14" y1="4" y2="4" stroke="#1a7f37" stroke-width="2" stroke-dasharray="5 3"/>', 'taking load'],
    ['<rect width="14" height="8" fill="#d0d7de"/>', 'resize + cooldown'],
    ['<rect width="14" height="8" fill="url(#gap)"/>', 'no measures'],
  ];
  let lx = LEFT;
  for (const [mark, label] of legend) {
    out.push(`<g transform="translate(${lx} ${ly - 8})">${mark}</g><text x="${lx + 18}" y="${ly}">${esc(label)}</text>`);
    lx += 30 + label.length * 6.1;
  }
  const rows = alarms.map((a, i) => `${i + 1} ${a.name} → ${a.policy}`).join('   ');
  out.push(`<text x="${LEFT}" y="${ly + 16}" fill="#57606a" font-size="9">${esc(`alarm rows (● acted, ○ refused for cooldown or a running resize; 'no change' at min/max not drawn): ${rows}`)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function f3(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}

/** Drops points of a polyline that lie between two points of the same height. */
function compress(points: string[]): string[] {
  const ys = points.map((p) => p.split(',')[1]);
  return points.filter((_, i) => i === 0 || i === points.length - 1 || !(ys[i - 1] === ys[i] && ys[i + 1] === ys[i]));
}
