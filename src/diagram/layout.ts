/**
 * Lays a diagram graph out with ELK's layered algorithm (elkjs, the Eclipse Layout Kernel
 * compiled to JavaScript). elkjs is loaded on first use, so importing Scaleout does not pay for it.
 *
 * ELK's promise API only defers the work with `setTimeout`; the layout itself is a synchronous
 * call inside its worker. We post the same messages the promise API posts (`register`, then
 * `layout`) to the in-process worker's dispatcher and read its answer at once, so `npm run synth`
 * and the library stay synchronous. elkjs is pinned to an exact version, and the tests lay out
 * every example, so a change of that internal shape fails loudly.
 */
import { DiagramGraph } from './graph';

/** A node with its place. All coordinates are absolute, in px. */
export interface PlacedBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An edge as a polyline, with its label's box. */
export interface PlacedEdge {
  readonly source: string;
  readonly target: string;
  readonly points: readonly { x: number; y: number }[];
  readonly label?: { text: string; x: number; y: number; width: number; height: number };
}

/** A laid-out graph. */
export interface DiagramLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedBox[];
  readonly clusters: readonly PlacedBox[];
  readonly edges: readonly PlacedEdge[];
}

/** Font metrics the layout reserves room with (the SVG uses the same font size). */
export const FONT_SIZE = 12;
export const LINE_HEIGHT = 16;
const CHAR_WIDTH = 7.2;
/** The first line is bold, and wider. */
const BOLD_CHAR_WIDTH = 8;
const PAD = 10;

/** The size of a box holding these lines. */
export function boxSize(lines: readonly string[]): { width: number; height: number } {
  const widest = Math.max(...lines.map((l, i) => l.length * (i === 0 ? BOLD_CHAR_WIDTH : CHAR_WIDTH)));
  return { width: Math.ceil(widest + 2 * PAD), height: lines.length * LINE_HEIGHT + PAD };
}

interface ElkWorker {
  onmessage: (m: { data: { data?: any; error?: any } }) => void;
  dispatcher: { saveDispatch(e: { data: Record<string, unknown> }): void };
}

let worker: ElkWorker | undefined;

function elk(): ElkWorker {
  if (!worker) {
    // Lazy: elkjs is about 1.5 MB of JavaScript.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require('elkjs/lib/elk-worker.min.js') as { Worker: new () => ElkWorker };
    worker = new Worker();
    call(worker, { cmd: 'register', algorithms: ['layered'] });
  }
  return worker;
}

function call(w: ElkWorker, message: Record<string, unknown>): any {
  let answer: { data?: any; error?: any } | undefined;
  w.onmessage = (m) => {
    answer = m.data;
  };
  w.dispatcher.saveDispatch({ data: { ...message, id: 0 } });
  if (!answer) throw new Error('elkjs did not answer synchronously; its worker changed (elkjs is pinned in package.json)');
  if (answer.error) throw new Error(`elkjs layout failed: ${answer.error.message ?? answer.error}`);
  return answer.data;
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.spacing.nodeNode': '30',
  'elk.spacing.edgeLabel': '4',
  'elk.edgeLabels.inline': 'false',
  'elk.padding': '[top=40,left=20,bottom=20,right=20]',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};

/** Lays the graph out. Same graph, same layout: ELK's layered algorithm is deterministic. */
export function layoutDiagram(graph: DiagramGraph): DiagramLayout {
  const clusterIds = Object.keys(graph.clusters).sort();
  const nodeOf = (id: string, lines: readonly string[]) => ({ id, ...boxSize(lines) });
  const children: any[] = graph.nodes.filter((n) => !n.cluster).map((n) => nodeOf(n.id, n.lines));
  for (const c of clusterIds) {
    children.push({
      id: `cluster:${c}`,
      layoutOptions: { 'elk.padding': `[top=${LINE_HEIGHT + 16},left=14,bottom=14,right=14]` },
      children: graph.nodes.filter((n) => n.cluster === c).map((n) => nodeOf(n.id, n.lines)),
    });
  }
  const edges = graph.edges.map((e, i) => ({
    id: `e${i}`,
    sources: [e.source],
    targets: [e.target],
    labels: e.label ? [{ text: e.label, width: Math.ceil(e.label.length * 6.2 + 6), height: 14 }] : [],
  }));
  const result = call(elk(), { cmd: 'layout', graph: { id: 'root', layoutOptions: LAYOUT_OPTIONS, children, edges } });
  const nodes: PlacedBox[] = [];
  const clusters: PlacedBox[] = [];
  const walk = (list: any[] | undefined) => {
    for (const c of list ?? []) {
      const box = { id: String(c.id), x: c.x, y: c.y, width: c.width, height: c.height };
      if (box.id.startsWith('cluster:')) {
        clusters.push({ ...box, id: box.id.slice('cluster:'.length) });
        walk(c.children);
      } else nodes.push(box);
    }
  };
  walk(result.children);
  const placedEdges: PlacedEdge[] = (result.edges as any[]).map((e, i) => {
    const points = (e.sections ?? []).flatMap((s: any) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
    const l = e.labels?.[0];
    return {
      source: graph.edges[i].source,
      target: graph.edges[i].target,
      points,
      label: l ? { text: l.text, x: l.x, y: l.y, width: l.width, height: l.height } : undefined,
    };
  });
  return { width: result.width, height: result.height, nodes, clusters, edges: placedEdges };
}
