import { Declarations, JsonObject, entries, isObject, localEntries } from './declarations';
import { TerraformFinding, TerraformFindingCode, describeValue, finding, joinPath } from './findings';
import { TypeSchema } from './provider-schema';
import { ReferenceScope, ReferenceTarget, TOP_LEVEL_SCOPE, resolveReference, walkAttributes } from './references';
import { ExpressionScan, Reference, containsTemplate, referenceText, scanExpression, scanTemplate } from './template-expressions';

/**
 * Finds every expression of a document and checks what it refers to: the `${...}` templates in every
 * string of resources, data sources, provider blocks, locals, outputs and module calls (including
 * `dynamic` blocks, whose iterator is in scope in `content`), `depends_on` entries, lifecycle
 * `ignore_changes` and `replace_triggered_by`, and the `provider` meta-argument. Also reports
 * `count` with `for_each`, and outputs that show sensitive values without `sensitive: true`.
 */

/** Findings and the dependency edges (graph node to the nodes it refers to) for the cycle check. */
export interface ReferenceReport {
  readonly findings: readonly TerraformFinding[];
  readonly edges: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Checks every reference of the document. */
export function checkReferences(doc: JsonObject, decls: Declarations): ReferenceReport {
  const checker = new ReferenceChecker(decls);
  for (const [type, names] of decls.resources) for (const [name, body] of names) checker.objectBody('resource', type, name, body);
  for (const [type, names] of decls.dataSources) for (const [name, body] of names) checker.objectBody('data', type, name, body);
  for (const [name, configs] of entries(doc.provider)) checker.expressions(configs, joinPath('provider', name), TOP_LEVEL_SCOPE);
  for (const [name, value] of localEntries(doc.locals)) checker.local(name, value);
  for (const [name, call] of entries(doc.module)) {
    for (const [key, value] of entries(call)) {
      if (key === 'depends_on') checker.dependsOn(value, joinPath(joinPath('module', name), key), undefined);
      else if (key !== 'source' && key !== 'version') checker.expressions(value, joinPath(joinPath('module', name), key), TOP_LEVEL_SCOPE);
    }
  }
  for (const [name, output] of entries(doc.output)) if (isObject(output)) checker.output(name, output);
  return { findings: checker.findings, edges: checker.edges };
}

interface Found {
  readonly target: ReferenceTarget;
  readonly text: string;
}

class ReferenceChecker {
  public readonly findings: TerraformFinding[] = [];
  public readonly edges = new Map<string, Set<string>>();
  private readonly localTargets = new Map<string, Found[]>();
  private readonly localSensitivity = new Map<string, boolean>();

  constructor(private readonly decls: Declarations) {}

  public objectBody(kind: 'resource' | 'data', type: string, name: string, body: JsonObject): void {
    const base = joinPath(joinPath(kind, type), name);
    const node = kind === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
    const schema = this.decls.schemaOf(kind, type);
    const scope: ReferenceScope = { count: body.count !== undefined, forEach: body.for_each !== undefined, iterators: new Set() };
    if (body.count !== undefined && body.for_each !== undefined) {
      this.findings.push(
        finding(TerraformFindingCode.COUNT_AND_FOR_EACH, base, `'count' and 'for_each' are both set, got ${describeValue(body.count)} and ${describeValue(body.for_each)}; keep one of them`),
      );
    }
    for (const [key, value] of entries(body)) {
      const path = joinPath(base, key);
      if (key === 'depends_on') this.dependsOn(value, path, node);
      else if (key === 'provider') this.providerMeta(value, path);
      else if (key === 'lifecycle') this.lifecycle(value, path, node, scope, schema);
      else if (key === 'provisioner' || key === 'connection') this.expressions(value, path, { ...scope, self: { schema } }, node);
      else if (key === 'count' || key === 'for_each') this.expressions(value, path, TOP_LEVEL_SCOPE, node);
      else if (key === 'dynamic' && isObject(value)) this.dynamicBlocks(value, path, scope, node);
      else this.expressions(value, path, scope, node);
    }
  }

  public local(name: string, value: unknown): void {
    this.localTargets.set(name, this.expressions(value, joinPath('locals', name), TOP_LEVEL_SCOPE, `local.${name}`));
  }

  public output(name: string, output: JsonObject): void {
    const base = joinPath('output', name);
    for (const [key, value] of entries(output)) {
      const path = joinPath(base, key);
      if (key === 'depends_on') {
        this.dependsOn(value, path, undefined);
        continue;
      }
      const found = this.expressions(value, path, TOP_LEVEL_SCOPE);
      const sensitive = key === 'value' ? found.find((f) => this.isSensitive(f.target)) : undefined;
      if (sensitive && output.sensitive !== true) {
        this.findings.push(
          finding(
            TerraformFindingCode.SENSITIVE_OUTPUT,
            path,
            `'value' shows the sensitive value '${sensitive.text}', got an output without "sensitive": true (${describeValue(output.sensitive)}); set "sensitive": true on output '${name}'`,
          ),
        );
      }
    }
  }

  /** Scans every template string in `value` (recursively) and resolves its references. */
  public expressions(value: unknown, path: string, scope: ReferenceScope, node?: string): Found[] {
    const found: Found[] = [];
    if (typeof value === 'string') {
      if (containsTemplate(value)) this.scanned(scanTemplate(value), value, path, scope, node, found);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => found.push(...this.expressions(item, joinPath(path, i), scope, node)));
    } else if (isObject(value)) {
      for (const [key, item] of entries(value)) {
        if (key === 'dynamic' && isObject(item)) found.push(...this.dynamicBlocks(item, joinPath(path, key), scope, node));
        else found.push(...this.expressions(item, joinPath(path, key), scope, node));
      }
    }
    return found;
  }

  public dependsOn(value: unknown, path: string, node: string | undefined): void {
    if (!Array.isArray(value)) return; // the outline check reports the type
    value.forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const at = joinPath(path, i);
      const scan = this.bare(entry, at);
      if (!scan) return;
      const ref = scan.references[0];
      if (scan.references.length !== 1 || !isWholeObject(ref)) {
        const hint = ref && !isWholeObject(ref) ? `write '${wholeObjectText(ref)}'` : "write '<type>.<name>', 'data.<type>.<name>' or 'module.<name>'";
        this.findings.push(finding(TerraformFindingCode.INVALID_DEPENDS_ON, at, `'depends_on' entries must name a whole resource, data source or module, got ${describeValue(entry)}; ${hint}`));
        return;
      }
      this.resolved(ref, at, TOP_LEVEL_SCOPE, node);
    });
  }

  private scanned(scan: ExpressionScan, source: string, path: string, scope: ReferenceScope, node: string | undefined, found: Found[]): void {
    for (const error of scan.errors) {
      this.findings.push(finding(TerraformFindingCode.INVALID_EXPRESSION, path, `expression ${describeValue(source)} cannot be parsed: ${error}; fix the expression`));
    }
    for (const ref of scan.references) {
      const target = this.resolved(ref, path, scope, node);
      if (target) found.push({ target, text: referenceText(ref) });
    }
  }

  private resolved(ref: Reference, path: string, scope: ReferenceScope, node: string | undefined): ReferenceTarget | undefined {
    const resolution = resolveReference(ref, this.decls, scope, path);
    this.findings.push(...resolution.findings);
    const target = resolution.target;
    if (node && target?.node) {
      let targets = this.edges.get(node);
      if (!targets) this.edges.set(node, (targets = new Set()));
      targets.add(target.node);
    }
    return target;
  }

  /** Parses a bare expression (a `depends_on` or `ignore_changes` entry); a `${...}` wrapper is tolerated. */
  private bare(entry: string, at: string): ExpressionScan | undefined {
    const wrapped = /^\s*\$\{([\s\S]*)\}\s*$/.exec(entry);
    const scan = scanExpression(wrapped ? wrapped[1] : entry);
    for (const error of scan.errors) {
      this.findings.push(finding(TerraformFindingCode.INVALID_EXPRESSION, at, `expression ${describeValue(entry)} cannot be parsed: ${error}; fix the expression`));
    }
    return scan.errors.length > 0 ? undefined : scan;
  }

  private providerMeta(value: unknown, path: string): void {
    if (typeof value !== 'string' || containsTemplate(value)) return;
    const [name, alias] = value.split('.');
    if (alias === undefined || this.decls.providerConfigs.get(name)?.has(alias)) return;
    this.findings.push(
      finding(
        TerraformFindingCode.UNDECLARED_PROVIDER,
        path,
        `'provider' points at provider configuration '${value}', which is not declared, got ${describeValue(value)}; add a "provider": {"${name}": [{"alias": "${alias}"}]} configuration or fix the name`,
      ),
    );
  }

  private lifecycle(value: unknown, path: string, node: string, scope: ReferenceScope, schema: TypeSchema | undefined): void {
    if (!isObject(value)) return;
    for (const [key, item] of entries(value)) {
      const at = joinPath(path, key);
      if (key === 'ignore_changes' && Array.isArray(item)) {
        item.forEach((entry, i) => {
          if (typeof entry !== 'string' || !schema) return;
          const scan = this.bare(entry, joinPath(at, i));
          const ref = scan?.references[0];
          if (!ref) return;
          const steps = [{ kind: 'attr' as const, name: ref.root }, ...ref.steps];
          this.findings.push(...walkAttributes(schema.block, steps, `${schema.kind} type ${schema.name}`, joinPath(at, i), entry).findings);
        });
      } else if (key === 'replace_triggered_by' && Array.isArray(item)) {
        item.forEach((entry, i) => {
          const scan = typeof entry === 'string' ? this.bare(entry, joinPath(at, i)) : undefined;
          for (const ref of scan?.references ?? []) this.resolved(ref, joinPath(at, i), scope, node);
        });
      } else {
        this.expressions(item, at, key === 'postcondition' ? { ...scope, self: { schema } } : scope, node);
      }
    }
  }

  /** `dynamic` blocks: `for_each` in the enclosing scope, `content` with the iterator (the block name, or `iterator`) in scope. */
  private dynamicBlocks(value: JsonObject, path: string, scope: ReferenceScope, node: string | undefined): Found[] {
    const found: Found[] = [];
    for (const [blockName, specs] of entries(value)) {
      const list = Array.isArray(specs) ? specs : [specs];
      list.forEach((spec, i) => {
        const at = Array.isArray(specs) ? joinPath(joinPath(path, blockName), i) : joinPath(path, blockName);
        if (!isObject(spec)) return;
        const iterator = typeof spec.iterator === 'string' ? spec.iterator : blockName;
        const inner: ReferenceScope = { ...scope, iterators: new Set([...scope.iterators, iterator]) };
        for (const [key, item] of entries(spec)) {
          found.push(...this.expressions(item, joinPath(at, key), key === 'content' || key === 'labels' ? inner : scope, node));
        }
      });
    }
    return found;
  }

  private isSensitive(target: ReferenceTarget, visiting: Set<string> = new Set()): boolean {
    if (target.sensitive) return true;
    if (!target.node?.startsWith('local.')) return false;
    const name = target.node.slice('local.'.length);
    const known = this.localSensitivity.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return false;
    visiting.add(name);
    const sensitive = (this.localTargets.get(name) ?? []).some((f) => this.isSensitive(f.target, visiting));
    this.localSensitivity.set(name, sensitive);
    return sensitive;
  }
}

/** A whole resource (optionally one instance), data source, module, variable or local: what `depends_on` accepts. */
function isWholeObject(ref: Reference): boolean {
  const names = ref.root === 'data' ? 2 : 1;
  const steps = ref.steps;
  if (['count', 'each', 'self', 'path', 'terraform'].includes(ref.root)) return false;
  if (steps.length < names || steps.slice(0, names).some((s) => s.kind !== 'attr')) return false;
  const rest = steps.slice(names);
  const instanceKeyAllowed = ref.root !== 'module' && ref.root !== 'var' && ref.root !== 'local';
  return rest.length === 0 || (instanceKeyAllowed && rest.length === 1 && rest[0].kind !== 'attr');
}

function wholeObjectText(ref: Reference): string {
  return referenceText(ref, ref.root === 'data' ? 2 : 1);
}
