/**
 * `diffSyntheses(old, new)`: what changes in behaviour, then in structure, between two
 * synthesized folders; and the text and Markdown reports of it.
 */
import { behaviourChanges } from './behaviour';
import { behaviourFacts } from './facts';
import { StructuralChange, structuralChanges } from './structure';
import { readSynthesis, Synthesis } from './synthesis';

/** The result of comparing two syntheses. */
export interface SynthesisDiff {
  /** Sentences about behaviour, in a stable order. */
  readonly behaviour: readonly string[];
  /** Resources added, removed and changed. */
  readonly structure: readonly StructuralChange[];
}

/** Compares two syntheses already read. */
export function diffSyntheses(before: Synthesis, after: Synthesis): SynthesisDiff {
  return {
    behaviour: behaviourChanges(behaviourFacts(before), behaviourFacts(after)),
    structure: structuralChanges(before, after),
  };
}

/** Compares two synthesized folders (Heat or Terraform; see `readSynthesis`). */
export function diffFolders(beforeDir: string, afterDir: string): SynthesisDiff {
  return diffSyntheses(readSynthesis(beforeDir), readSynthesis(afterDir));
}

const MARK = { added: '+', removed: '-', changed: '~' } as const;

/** The report as plain text lines. */
export function formatText(d: SynthesisDiff): string[] {
  if (d.behaviour.length === 0 && d.structure.length === 0) return ['No changes.'];
  const lines: string[] = [];
  lines.push(d.behaviour.length ? `Behaviour changes (${d.behaviour.length}):` : 'No behaviour changes.');
  for (const s of d.behaviour) lines.push(`  * ${s}`);
  lines.push('');
  lines.push(`Structural changes (${d.structure.length}):`);
  for (const c of d.structure) {
    lines.push(`  ${MARK[c.kind]} ${c.resource} (${c.type})`);
    for (const p of c.paths) lines.push(`      ${p}`);
  }
  return lines;
}

const md = (s: string) => s.replace(/([\\`*_[\]<>|])/g, '\\$1');

/** The report as Markdown lines, for a pull request. */
export function formatMarkdown(d: SynthesisDiff): string[] {
  if (d.behaviour.length === 0 && d.structure.length === 0) return ['**No changes.**'];
  const lines: string[] = ['### Behaviour changes', ''];
  if (d.behaviour.length === 0) lines.push('None.');
  for (const s of d.behaviour) lines.push(`- ${md(s)}`);
  lines.push('', `### Structural changes (${d.structure.length})`, '');
  if (d.structure.length) {
    lines.push('<details><summary>resources added, removed and changed</summary>', '');
    for (const c of d.structure) {
      lines.push(`- \`${MARK[c.kind]} ${c.resource}\` (${md(c.type)})`);
      for (const p of c.paths) lines.push(`  - \`${p.replace(/`/g, "'")}\``);
    }
    lines.push('', '</details>');
  }
  return lines;
}
