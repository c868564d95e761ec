/**
 * Architecture diagrams: `diagram(stack)` and `diagramOfFolder(dir)` give an SVG of the stack's
 * tiers, groups, load balancer, services, security-group edges and alarm -> policy -> group
 * chains, laid out by ELK.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ErrorCode, propError } from '../core/errors';
import type { IConstruct } from 'constructs';
import { hotTemplateOf, readSynthesis } from '../diff/synthesis';
import { synthesizeHeat } from '../stacks/heat/heat-synthesizer';
import { diagramGraph, DiagramGraph } from './graph';
import { layoutDiagram } from './layout';
import { renderSvg } from './svg';

export * from './graph';
export * from './layout';
export * from './svg';

/** The SVG of a graph. */
export function svgOfGraph(graph: DiagramGraph): string {
  return renderSvg(graph, layoutDiagram(graph));
}

/** The architecture diagram (SVG text) of a stack, from its Heat synthesis (in memory). */
export function diagram(stack: IConstruct): string {
  const s = synthesizeHeat(stack);
  return svgOfGraph(diagramGraph(hotTemplateOf(s.stackName, s.template, s.files)));
}

/** The diagram graph of a synthesized Heat folder (or `templates/<example>/`, read through its `heat/`). */
export function diagramGraphOfFolder(dir: string): DiagramGraph {
  const s = readSynthesis(dir);
  if (s.target !== 'heat') {
    throw propError(
      'scaleout diagram',
      ErrorCode.UNSUPPORTED,
      'templates dir',
      dir,
      'is a Terraform synthesis; the diagram is drawn from the Heat synthesis',
      'give the Heat folder of the same app (scaleout synth --target heat)',
    );
  }
  return diagramGraph(s.heat[0]);
}

/** The architecture diagram (SVG text) of a synthesized Heat folder. */
export function diagramOfFolder(dir: string): string {
  return svgOfGraph(diagramGraphOfFolder(dir));
}

/** Writes `diagram.svg` for the Heat folder `heatDir` into `outDir`; returns the file written. */
export function writeDiagram(heatDir: string, outDir: string): string {
  const svg = diagramOfFolder(heatDir);
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'diagram.svg');
  fs.writeFileSync(file, svg);
  return file;
}
