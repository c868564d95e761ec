/** Draws a laid-out diagram as a self-contained SVG. Deterministic: same layout, same bytes. */
import { DiagramGraph, DiagramNode, NodeKind } from './graph';
import { DiagramLayout, FONT_SIZE, LINE_HEIGHT } from './layout';

const FILL: Record<NodeKind, string> = {
  internet: '#eceff1',
  cidr: '#eceff1',
  'floating-ip': '#fff3e0',
  'load-balancer': '#ffe0b2',
  listener: '#fff3e0',
  pool: '#fff3e0',
  group: '#c8e6c9',
  server: '#bbdefb',
  storage: '#e1bee7',
  alarm: '#ffcdd2',
  policy: '#f8bbd0',
};

const STROKE = { traffic: '#37474f', control: '#c62828', wiring: '#90a4ae' } as const;

/** Numbers as SVG writes them: at most one decimal, no trailing zeros. */
const n = (v: number) => String(Math.round(v * 10) / 10);

/** Escapes text for XML content and attributes. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The SVG document of a graph and its layout. */
export function renderSvg(graph: DiagramGraph, layout: DiagramLayout): string {
  const byId = new Map<string, DiagramNode>(graph.nodes.map((x) => [x.id, x]));
  const out: string[] = [];
  const w = Math.ceil(layout.width);
  const h = Math.ceil(layout.height);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="${FONT_SIZE}">`);
  out.push(`<title>${xmlEscape(graph.title)}: architecture (Scaleout)</title>`);
  out.push('<defs>');
  for (const [style, colour] of Object.entries(STROKE)) {
    out.push(`<marker id="arrow-${style}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`);
  }
  out.push('</defs>');
  out.push(`<rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`);
  out.push(`<text x="20" y="24" font-size="16" font-weight="bold">${xmlEscape(graph.title)}</text>`);
  for (const c of layout.clusters) {
    out.push(`<g class="cluster" data-id="${xmlEscape(c.id)}">`);
    out.push(`<rect x="${n(c.x)}" y="${n(c.y)}" width="${n(c.width)}" height="${n(c.height)}" rx="8" fill="#fafafa" stroke="#b0bec5" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${n(c.x + 10)}" y="${n(c.y + 18)}" font-weight="bold" fill="#546e7a">${xmlEscape(graph.clusters[c.id] ?? c.id)}</text>`);
    out.push('</g>');
  }
  graph.edges.forEach((e, i) => {
    const p = layout.edges[i];
    if (!p || p.points.length < 2) return;
    const d = p.points.map((pt, j) => `${j === 0 ? 'M' : 'L'}${n(pt.x)},${n(pt.y)}`).join(' ');
    const dash = e.style === 'control' ? ' stroke-dasharray="5 3"' : '';
    out.push(`<g class="edge" data-source="${xmlEscape(e.source)}" data-target="${xmlEscape(e.target)}"${e.label ? ` data-label="${xmlEscape(e.label)}"` : ''}>`);
    out.push(`<path d="${d}" fill="none" stroke="${STROKE[e.style]}" stroke-width="1.3"${dash} marker-end="url(#arrow-${e.style})"/>`);
    if (p.label) {
      const l = p.label;
      out.push(`<rect x="${n(l.x)}" y="${n(l.y)}" width="${n(l.width)}" height="${n(l.height)}" fill="#ffffff" fill-opacity="0.85"/>`);
      out.push(`<text x="${n(l.x + 3)}" y="${n(l.y + l.height - 3)}" font-size="11" fill="${STROKE[e.style]}">${xmlEscape(l.text)}</text>`);
    }
    out.push('</g>');
  });
  for (const b of layout.nodes) {
    const node = byId.get(b.id);
    if (!node) continue;
    out.push(`<g class="node ${node.kind}" data-id="${xmlEscape(node.id)}">`);
    out.push(`<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" rx="${node.kind === 'internet' || node.kind === 'cidr' ? 14 : 4}" fill="${FILL[node.kind]}" stroke="#455a64"/>`);
    node.lines.forEach((line, j) => {
      const bold = j === 0 ? ' font-weight="bold"' : '';
      out.push(`<text x="${n(b.x + 10)}" y="${n(b.y + 5 + LINE_HEIGHT * (j + 1) - 4)}"${bold}>${xmlEscape(line)}</text>`);
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
