import { TerraformFinding, TerraformFindingCode, finding } from './findings';

/**
 * Finds dependency cycles among resources, data sources and locals (Terraform refuses to plan
 * them: "Cycle: ..." or "Self-referential block"). Edges come from references and `depends_on`.
 * Strongly connected components by Tarjan's algorithm; nodes and edges are visited in sorted order,
 * so the same document always reports the same cycle the same way.
 */
export function checkDependencyCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): TerraformFinding[] {
  const findings: TerraformFinding[] = [];
  for (const component of stronglyConnectedComponents(edges)) {
    const start = component[0];
    const selfLoop = edges.get(start)?.has(start) === true;
    if (component.length === 1 && !selfLoop) continue;
    if (component.length === 1) {
      findings.push(
        finding(
          TerraformFindingCode.DEPENDENCY_CYCLE,
          nodePath(start),
          `'${start}' refers to itself, got a reference to '${start}' in its own configuration; use 'self' in a provisioner, or refer to another object`,
        ),
      );
      continue;
    }
    const cycle = cycleThrough(start, new Set(component), edges);
    findings.push(
      finding(
        TerraformFindingCode.DEPENDENCY_CYCLE,
        nodePath(start),
        `'${start}' is part of a dependency cycle, got ${cycle.join(' -> ')}; remove one of these references or depends_on entries`,
      ),
    );
  }
  return findings;
}

/** The finding path of a graph node: `type.name` is a resource, `data.`/`local.` the others. */
function nodePath(node: string): string {
  if (node.startsWith('data.')) return node;
  if (node.startsWith('local.')) return `locals.${node.slice('local.'.length)}`;
  return `resource.${node}`;
}

function sortedTargets(edges: ReadonlyMap<string, ReadonlySet<string>>, node: string): string[] {
  return [...(edges.get(node) ?? [])].sort();
}

/** Components with their members sorted, in order of their first member. */
function stronglyConnectedComponents(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of sortedTargets(edges, node)) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return components.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** A shortest path from `start` back to itself inside the component, for the message. */
function cycleThrough(start: string, members: ReadonlySet<string>, edges: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of sortedTargets(edges, node)) {
      if (!members.has(next)) continue;
      if (next === start) {
        const chain: string[] = [];
        for (let n = node; n !== start; n = previous.get(n)!) chain.push(n);
        return [start, ...chain.reverse(), start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
