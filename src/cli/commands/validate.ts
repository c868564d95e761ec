import * as path from 'path';
import { validateHot } from '../../validation/heat';
import { formatFinding } from '../../validation/heat/findings';
import { validateTerraformJson, formatFindings } from '../../validation/terraform';
import { parseArgs } from '../args';
import { CliUsageError, type CliCommand } from '../command';
import { findHeatStacks, findTerraformStacks } from '../templates';

const USAGE = `scaleout validate [DIR] [--release 2022.2]

Checks written templates with Scaleout's built-in validators: every Heat stack (<stack>.yaml next
to <stack>.env.yaml, with its nested templates) against Heat's resource schemas, every
cdk.tf.json against the OpenStack provider's schema. Exit 1 when anything is wrong.

  DIR        folder to search (default: scaleout.out)
  --release  the OpenStack release whose Heat schema to use: 2022.2 (Zed, the default; 2023.1 is a
             deprecated alias of it), 2024.1 or 2025.1`;

/** `scaleout validate`: the built-in validators on written templates. */
export const command: CliCommand = {
  name: 'validate',
  summary: 'check written Heat and Terraform templates against the schemas',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args, { options: ['release'] });
    if (parsed.positionals.length > 1) throw new CliUsageError('give at most one folder');
    const dir = path.resolve(io.cwd, parsed.positionals[0] ?? 'scaleout.out');
    const release = parsed.options.get('release') ?? '2022.2';
    let problems = 0;
    const heat = findHeatStacks(dir);
    for (const s of heat) {
      const findings = validateHot({ template: s.template, environment: s.environment, files: s.files, release, name: `${s.name}.yaml` });
      problems += findings.length;
      io.out(`${findings.length === 0 ? 'ok  ' : 'FAIL'} heat ${path.relative(io.cwd, path.join(s.dir, `${s.name}.yaml`))}${findings.length ? ` (${findings.length} findings)` : ''}`);
      for (const f of findings) io.out(`  ${formatFinding(f)}`);
    }
    const terraform = findTerraformStacks(dir);
    for (const s of terraform) {
      const findings = validateTerraformJson(s.json);
      problems += findings.length;
      io.out(`${findings.length === 0 ? 'ok  ' : 'FAIL'} terraform ${path.relative(io.cwd, s.file)}${findings.length ? ` (${findings.length} findings)` : ''}`);
      if (findings.length) io.out(formatFindings(findings).replace(/^/gm, '  '));
    }
    if (heat.length + terraform.length === 0) {
      io.err(`scaleout validate: no templates under ${dir} (looked for <stack>.env.yaml and cdk.tf.json)`);
      return 1;
    }
    io.err(`scaleout validate: ${heat.length} Heat and ${terraform.length} Terraform stacks, ${problems} findings`);
    return problems > 0 ? 1 : 0;
  },
};
