/**
 * Generates typed Heat resource definitions (the Heat "L1") from Heat's own resource-type schema
 * dump (`schemas/heat/<release>/resource_types.json`). For every visible resource type it emits a
 * property interface with Heat's documentation strings, defaults and constraints, an attribute
 * name union, and two maps keyed by the type name (`HeatResourceProps`, `HeatResourceAttributes`)
 * that the renderer uses to type-check what each construct writes.
 *
 * Never edit the output by hand: run `npm run gen`.
 */
import * as fs from 'fs';
import * as path from 'path';

interface HeatConstraint {
  readonly kind: string;
  readonly allowed_values?: unknown[];
  readonly min?: number;
  readonly max?: number;
  readonly custom_constraint?: string;
  readonly allowed_pattern?: string;
  readonly step?: number;
  readonly offset?: number;
}

interface HeatPropertySchema {
  readonly type: string;
  readonly description?: string | null;
  readonly required?: boolean;
  readonly default?: unknown;
  readonly hidden?: boolean;
  readonly update_allowed?: boolean;
  readonly constraints?: HeatConstraint[];
  readonly schema?: Record<string, HeatPropertySchema>;
  readonly support_status?: { status?: string; version?: string | null };
}

interface HeatResourceTypeSchema {
  readonly hidden?: boolean;
  readonly deprecated?: boolean;
  readonly description?: string;
  readonly properties: Record<string, HeatPropertySchema>;
  readonly attributes: Record<string, { description?: string; type?: string }>;
}

/** `OS::Neutron::SecurityGroup` -> `OsNeutronSecurityGroup`. */
export function heatTypeClassName(type: string): string {
  return type
    .split('::')
    .map((part, i) => (i === 0 ? part.charAt(0) + part.slice(1).toLowerCase() : part))
    .map((part) => part.replace(/[^A-Za-z0-9]/g, ''))
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function docLines(text: string | null | undefined): string[] {
  if (!text) return [];
  return text
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((l) => l.trimEnd());
}

function constraintDoc(c: HeatConstraint): string {
  switch (c.kind) {
    case 'allowed_values':
      return `Allowed values: ${(c.allowed_values ?? []).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'range':
      if (c.min == null && c.max == null) return '';
      return `Range: ${c.min ?? '-inf'} to ${c.max ?? 'inf'}.`;
    case 'length':
      return `Length: ${c.min ?? 0} to ${c.max ?? 'unbounded'}.`;
    case 'modulo':
      return `Modulo: step ${c.step}, offset ${c.offset}.`;
    case 'allowed_pattern':
      return `Pattern: \`${c.allowed_pattern}\`.`;
    case 'custom_constraint':
      return `Constraint: \`${c.custom_constraint}\`.`;
    default:
      return `Constraint: ${c.kind}.`;
  }
}

function quoteKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

class Emitter {
  private readonly out: string[] = [];
  private readonly emitted = new Set<string>();

  line(text = ''): void {
    this.out.push(text);
  }

  doc(lines: string[], indent = ''): void {
    if (lines.length === 0) return;
    this.line(`${indent}/**`);
    for (const l of lines) this.line(`${indent} *${l ? ` ${l}` : ''}`);
    this.line(`${indent} */`);
  }

  /** Emits an interface for a property map and returns its name. */
  struct(name: string, props: Record<string, HeatPropertySchema>, headerDoc: string[]): string {
    if (this.emitted.has(name)) throw new Error(`duplicate generated name ${name}`);
    this.emitted.add(name);
    const pending: Array<() => void> = [];
    const body: string[] = [];
    for (const propName of Object.keys(props).sort()) {
      const prop = props[propName];
      if (prop.hidden) continue;
      const tsType = this.typeOf(`${name}${pascal(propName)}`, prop, pending);
      const lines = [...docLines(prop.description)];
      for (const c of prop.constraints ?? []) {
        const text = constraintDoc(c);
        if (text) lines.push(text);
      }
      if (prop.default !== undefined && prop.default !== null) lines.push(`@default ${JSON.stringify(prop.default)}`);
      if (prop.update_allowed === false) lines.push('Changing it replaces the resource.');
      if (prop.support_status?.version) lines.push(`Since Heat ${prop.support_status.version}.`);
      body.push('');
      const saved = this.out.length;
      this.doc(lines, '  ');
      body.push(...this.out.splice(saved));
      body.push(`  readonly ${quoteKey(propName)}${prop.required ? '' : '?'}: ${tsType};`);
    }
    this.doc(headerDoc);
    this.line(`export interface ${name} {`);
    this.out.push(...body.slice(1));
    this.line('}');
    this.line();
    for (const p of pending) p();
    return name;
  }

  private typeOf(name: string, prop: HeatPropertySchema, pending: Array<() => void>): string {
    switch (prop.type) {
      case 'string': {
        const allowed = prop.constraints?.find((c) => c.kind === 'allowed_values')?.allowed_values;
        if (allowed && allowed.length > 0 && allowed.every((v) => typeof v === 'string')) {
          return `HeatValue<${allowed.map((v) => JSON.stringify(v)).join(' | ')}>`;
        }
        return 'HeatValue<string>';
      }
      case 'integer':
      case 'number':
        return 'HeatValue<number>';
      case 'boolean':
        return 'HeatValue<boolean>';
      case 'map':
        if (prop.schema && Object.keys(prop.schema).length > 0 && !prop.schema['*']) {
          const schema = prop.schema;
          pending.push(() => this.struct(name, schema, [`Part of \`${name}\`.`]));
          return `HeatValue<${name}>`;
        }
        return 'HeatValue<Record<string, unknown>>';
      case 'list': {
        const item = prop.schema?.['*'];
        if (!item) return 'HeatValue<unknown[]>';
        const itemType = this.typeOf(`${name}Item`, item, pending);
        return `HeatValue<Array<${itemType}>>`;
      }
      default:
        return 'unknown';
    }
  }

  text(): string {
    return `${this.out.join('\n').replace(/\n+$/, '')}\n`;
  }
}

/** Writes the generated module. */
export function generateHeatL1(options: { schemaFile: string; outFile: string }): void {
  const dump = JSON.parse(fs.readFileSync(options.schemaFile, 'utf8'));
  const types: Record<string, HeatResourceTypeSchema> = dump.resource_types;
  const e = new Emitter();
  e.line('// Generated by scripts/heat-l1-generator.ts from Heat\'s resource-type schema. Do not edit.');
  e.line(`// Source: Heat ${dump.heat_version} (OpenStack ${dump.openstack_release}), ${path.basename(options.schemaFile)}.`);
  e.line('/* eslint-disable */');
  e.line();
  e.line("import type { HeatValue } from '../../src/core/heat-value';");
  e.line();
  e.line(`/** The OpenStack release these definitions were generated from. */`);
  e.line(`export const HEAT_L1_RELEASE = ${JSON.stringify(dump.openstack_release)};`);
  e.line();
  const names: Array<[string, string]> = [];
  for (const type of Object.keys(types).sort()) {
    const schema = types[type];
    if (schema.hidden) continue;
    const cls = heatTypeClassName(type);
    const header = [`Properties of \`${type}\`.`, '', ...docLines(schema.description)];
    if (schema.deprecated) header.push('', '@deprecated Heat marks this resource type deprecated.');
    e.struct(`${cls}Props`, schema.properties, header);
    const attrs = Object.keys(schema.attributes).sort();
    e.doc([`Attribute names of \`${type}\` (for \`get_attr\`).`]);
    e.line(`export type ${cls}Attribute = ${attrs.map((a) => JSON.stringify(a)).join(' | ') || 'never'};`);
    e.line();
    names.push([type, cls]);
  }
  e.doc(['Property interface of every visible resource type, by type name.']);
  e.line('export interface HeatResourceProps {');
  for (const [type, cls] of names) e.line(`  ${JSON.stringify(type)}: ${cls}Props;`);
  e.line('}');
  e.line();
  e.doc(['Attribute names of every visible resource type, by type name.']);
  e.line('export interface HeatResourceAttributes {');
  for (const [type, cls] of names) e.line(`  ${JSON.stringify(type)}: ${cls}Attribute;`);
  e.line('}');
  fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
  fs.writeFileSync(options.outFile, e.text());
}
