import { Declarations, hasInstances } from './declarations';
import { TerraformFinding, TerraformFindingCode, TerraformFindingCodeValue, didYouMean, finding } from './findings';
import { CtyType, SchemaBlock, SchemaBlockType, TypeSchema, ctyTypeName, memberNames } from './provider-schema';
import { Reference, TraversalStep, referenceText } from './template-expressions';

/**
 * Resolves one reference found in an expression: does it point at something the document declares,
 * and, for OpenStack resources and data sources, at an attribute or block their schema has? Index
 * and attribute steps after that are followed through nested blocks and list, set, map and object
 * types, as far as the schema knows them.
 */

/** Where a reference is used, which decides what it may refer to. */
export interface ReferenceScope {
  /** The enclosing resource or data source sets `count` (so `count.index` exists). */
  readonly count: boolean;
  /** The enclosing resource or data source sets `for_each` (so `each.key`/`each.value` exist). */
  readonly forEach: boolean;
  /** Inside a provisioner, connection or postcondition: `self` is the enclosing object. */
  readonly self?: { readonly schema?: TypeSchema };
  /** Iterator names of enclosing `dynamic` blocks. */
  readonly iterators: ReadonlySet<string>;
}

/** A scope with no `count`, `each`, `self` or iterators: outputs, locals, provider blocks. */
export const TOP_LEVEL_SCOPE: ReferenceScope = { count: false, forEach: false, iterators: new Set() };

/** What a reference resolved to. */
export interface ReferenceTarget {
  /** Dependency graph node: `type.name`, `data.type.name` or `local.name`; undefined for the rest. */
  readonly node?: string;
  /** The value is sensitive: a sensitive variable, or a sensitive attribute (or an object holding one). */
  readonly sensitive: boolean;
}

/** The outcome of resolving one reference. */
export interface Resolution {
  readonly findings: TerraformFinding[];
  readonly target?: ReferenceTarget;
}

const ROOTS = ['var', 'local', 'data', 'module', 'count', 'each', 'self', 'path', 'terraform'];

/** Resolves `ref`, used at finding path `at`, against the document's declarations. */
export function resolveReference(ref: Reference, decls: Declarations, scope: ReferenceScope, at: string): Resolution {
  const text = referenceText(ref);
  const fail = (code: TerraformFindingCodeValue, problem: string): Resolution => ({ findings: [finding(code, at, `'${text}' ${problem}`)] });
  const first = ref.steps[0]?.kind === 'attr' ? (ref.steps[0] as { name: string }).name : undefined;
  // A dynamic block's iterator shadows everything else: cdktf names it `each`.
  if (scope.iterators.has(ref.root)) {
    return first === 'key' || first === 'value' ? { findings: [] } : fail(TerraformFindingCode.INVALID_REFERENCE, `is not valid; use ${ref.root}.key or ${ref.root}.value`);
  }
  switch (ref.root) {
    case 'var':
    case 'local':
    case 'module': {
      const noun = { var: 'variable', local: 'local value', module: 'module' }[ref.root];
      const declared = ref.root === 'var' ? decls.variables : ref.root === 'local' ? decls.locals : decls.modules;
      if (first === undefined) return fail(TerraformFindingCode.INVALID_REFERENCE, `must name a ${noun}; write ${ref.root}.<name>`);
      if (!declared.has(first)) {
        return fail(TerraformFindingCode.UNDECLARED_REFERENCE, `points at no declared ${noun}; declare ${noun} '${first}'${didYouMean(first, declared.keys())}`);
      }
      if (ref.root === 'var') return { findings: [], target: { sensitive: decls.variables.get(first)?.sensitive === true } };
      return { findings: [], target: { node: ref.root === 'local' ? `local.${first}` : undefined, sensitive: false } };
    }
    case 'data': {
      const type = first;
      const name = ref.steps[1]?.kind === 'attr' ? (ref.steps[1] as { name: string }).name : undefined;
      if (type === undefined || name === undefined) return fail(TerraformFindingCode.INVALID_REFERENCE, 'must name a data source; write data.<type>.<name>.<attribute>');
      return resolveObject('data', type, name, ref, 2, decls, at, text);
    }
    case 'count':
      if (!scope.count) return fail(TerraformFindingCode.INVALID_REFERENCE, "is only available in a resource or data source that sets 'count'; set 'count' or remove the reference");
      return first === 'index' && ref.steps.length === 1 ? { findings: [] } : fail(TerraformFindingCode.INVALID_REFERENCE, 'is not valid; the only count attribute is count.index');
    case 'each':
      if (!scope.forEach) return fail(TerraformFindingCode.INVALID_REFERENCE, "is only available in a resource or data source that sets 'for_each'; set 'for_each' or remove the reference");
      return first === 'key' || first === 'value' ? { findings: [] } : fail(TerraformFindingCode.INVALID_REFERENCE, 'is not valid; use each.key or each.value');
    case 'self':
      if (!scope.self) return fail(TerraformFindingCode.INVALID_REFERENCE, 'is only available in provisioner, connection and postcondition blocks; refer to the resource by its address');
      return scope.self.schema ? walkAttributes(scope.self.schema.block, ref.steps, `${scope.self.schema.kind} type ${scope.self.schema.name}`, at, text) : { findings: [] };
    case 'path':
      return first !== undefined && ['module', 'root', 'cwd'].includes(first) && ref.steps.length === 1
        ? { findings: [] }
        : fail(TerraformFindingCode.INVALID_REFERENCE, 'is not valid; use path.module, path.root or path.cwd');
    case 'terraform':
      return first !== undefined && ['workspace', 'applying'].includes(first) && ref.steps.length === 1
        ? { findings: [] }
        : fail(TerraformFindingCode.INVALID_REFERENCE, 'is not valid; use terraform.workspace');
    default:
      break;
  }
  if (!decls.resources.has(ref.root) && (decls.schema.resource(ref.root) || decls.isForeignProviderType(ref.root))) {
    const address = first === undefined ? ref.root : `${ref.root}.${first}`;
    return fail(
      TerraformFindingCode.UNDECLARED_REFERENCE,
      `points at no declared resource '${address}': the document has no '${ref.root}' resources; declare it or fix the type${didYouMean(ref.root, decls.resources.keys())}`,
    );
  }
  if (!decls.resources.has(ref.root)) {
    const known = [...ROOTS, ...decls.resources.keys(), ...scope.iterators];
    return fail(
      TerraformFindingCode.UNDECLARED_REFERENCE,
      `points at nothing declared: '${ref.root}' is not a resource type of this document, nor one of ${ROOTS.join(', ')}${didYouMean(ref.root, known)}`,
    );
  }
  if (first === undefined) return fail(TerraformFindingCode.INVALID_REFERENCE, `must name a resource; write ${ref.root}.<name>.<attribute>`);
  return resolveObject('resource', ref.root, first, ref, 1, decls, at, text);
}

/** Resolves a reference to a resource or data source: declared, instance key as its count/for_each needs, attribute. */
function resolveObject(
  kind: 'resource' | 'data',
  type: string,
  name: string,
  ref: Reference,
  restStart: number,
  decls: Declarations,
  at: string,
  text: string,
): Resolution {
  const address = kind === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
  const noun = kind === 'resource' ? 'resource' : 'data source';
  const body = decls.body(kind, type, name);
  if (!body) {
    const names = [...((kind === 'resource' ? decls.resources : decls.dataSources).get(type)?.keys() ?? [])];
    return {
      findings: [finding(TerraformFindingCode.UNDECLARED_REFERENCE, at, `'${text}' points at no declared ${noun} '${address}'; declare it or fix the name${didYouMean(name, names)}`)],
    };
  }
  const node = address;
  let rest = ref.steps.slice(restStart);
  const key = rest[0];
  if (key && hasInstances(body)) {
    if (key.kind === 'attr') {
      const meta = body.count !== undefined ? 'count' : 'for_each';
      return {
        findings: [
          finding(
            TerraformFindingCode.INVALID_REFERENCE,
            at,
            `'${text}' has no instance key, but ${noun} '${address}' sets '${meta}'; write ${address}[${meta === 'count' ? 'count.index' : 'each.key'}].${key.name}, ${address}[0].${key.name} or ${address}[*].${key.name}`,
          ),
        ],
        target: { node, sensitive: false },
      };
    }
    rest = rest.slice(1);
  } else if (key && key.kind !== 'attr') {
    if (key.kind === 'index') {
      return {
        findings: [
          finding(
            TerraformFindingCode.INVALID_REFERENCE,
            at,
            `'${text}' has an instance key, but ${noun} '${address}' sets neither 'count' nor 'for_each'; remove the index: ${referenceText({ root: ref.root, steps: [...ref.steps.slice(0, restStart), ...rest.slice(1)] })}`,
          ),
        ],
        target: { node, sensitive: false },
      };
    }
    rest = rest.slice(1); // a splat on a single instance is a list of one
  }
  const schema = decls.schemaOf(kind, type);
  if (!schema) return { findings: [], target: { node, sensitive: false } };
  const walked = walkAttributes(schema.block, rest, `${noun} type ${type}`, at, text);
  return { findings: walked.findings, target: { node, sensitive: walked.target?.sensitive ?? false } };
}

/**
 * Follows attribute and index steps through a block schema: the first step must name an attribute
 * or a nested block; steps after it must suit that attribute's type or that block's nesting.
 */
export function walkAttributes(block: SchemaBlock, steps: readonly TraversalStep[], label: string, at: string, text: string): Resolution {
  if (steps.length === 0) return { findings: [], target: { sensitive: blockIsSensitive(block) } };
  const step = steps[0];
  if (step.kind !== 'attr') {
    return { findings: [finding(TerraformFindingCode.INVALID_REFERENCE, at, `'${text}' indexes an object of ${label}; name one of its attributes instead`)] };
  }
  const attribute = block.attributes?.[step.name];
  if (attribute) {
    const problem = typeProblem(attribute.type, steps.slice(1));
    if (problem) return { findings: [finding(TerraformFindingCode.INVALID_REFERENCE, at, `'${text}' ${problem.replace('$', `'${step.name}'`)}`)] };
    return { findings: [], target: { sensitive: attribute.sensitive === true } };
  }
  const blockType = block.block_types?.[step.name];
  if (blockType) return walkNested(blockType, step.name, steps.slice(1), at, text);
  return {
    findings: [
      finding(
        TerraformFindingCode.UNKNOWN_ATTRIBUTE_REFERENCE,
        at,
        `'${text}' names '${step.name}', which ${label} does not have; use one of its attributes or blocks${didYouMean(step.name, memberNames(block))}`,
      ),
    ],
  };
}

function walkNested(blockType: SchemaBlockType, name: string, steps: readonly TraversalStep[], at: string, text: string): Resolution {
  const label = `block '${name}'`;
  if (steps.length === 0 || blockType.nesting_mode === 'single' || blockType.nesting_mode === 'group') {
    return walkAttributes(blockType.block, steps, label, at, text);
  }
  const step = steps[0];
  const mode = blockType.nesting_mode;
  if (step.kind === 'attr' && mode !== 'map') {
    return {
      findings: [finding(TerraformFindingCode.INVALID_REFERENCE, at, `'${text}' reads '${step.name}' from ${label}, which is a ${mode} of blocks; select one first (${name}[0].${step.name}) or use ${name}[*].${step.name}`)],
    };
  }
  if (step.kind === 'index' && mode === 'set') {
    return { findings: [finding(TerraformFindingCode.INVALID_REFERENCE, at, `'${text}' indexes ${label}, which is a set and has no indices; use ${name}[*] or tolist(...)`)] };
  }
  return walkAttributes(blockType.block, steps.slice(1), label, at, text);
}

/** Why `steps` cannot follow a value of `type` ('$' stands for the attribute), or undefined when they can. */
function typeProblem(type: CtyType, steps: readonly TraversalStep[]): string | undefined {
  if (steps.length === 0 || type === 'dynamic') return undefined;
  const step = steps[0];
  if (typeof type === 'string') return `goes past $, which is a ${type} and has no attributes or elements; stop at $`;
  const name = ctyTypeName(type);
  switch (type[0]) {
    case 'list':
      if (step.kind === 'attr') return `reads '${step.name}' from $, which is a ${name}; select an element first ($[0]) or use $[*]`;
      return typeProblem(type[1], steps.slice(1));
    case 'set':
      if (step.kind !== 'splat') return `indexes $, which is a ${name} and has no indices; use $[*] or tolist(...)`;
      return typeProblem(type[1], steps.slice(1));
    case 'map':
      return typeProblem(type[1], steps.slice(1));
    case 'object': {
      const field = step.kind === 'attr' ? step.name : step.kind === 'index' && typeof step.key === 'string' ? step.key : undefined;
      if (field === undefined || !(field in type[1])) return `reads ${field === undefined ? 'an element' : `'${field}'`} from $, which is an ${name}; use one of its attributes`;
      return typeProblem(type[1][field], steps.slice(1));
    }
    default:
      return undefined;
  }
}

const sensitiveBlocks = new WeakMap<SchemaBlock, boolean>();

/** True when the block or one of its nested blocks has a sensitive attribute (a whole-object reference is then sensitive). */
function blockIsSensitive(block: SchemaBlock): boolean {
  let sensitive = sensitiveBlocks.get(block);
  if (sensitive === undefined) {
    sensitive =
      Object.values(block.attributes ?? {}).some((a) => a.sensitive === true) ||
      Object.values(block.block_types ?? {}).some((b) => blockIsSensitive(b.block));
    sensitiveBlocks.set(block, sensitive);
  }
  return sensitive;
}
