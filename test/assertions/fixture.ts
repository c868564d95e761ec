/** A small stack with a load-balanced autoscaling tier, for the assertions and policy tests. */
import { ApiTier, ApiTierProps, assertValidHot, assertValidTerraformJson, Stack, synthesizeHeat } from '../../src';
import { Template } from '../../src/assertions';
import { IMAGE, netStack, SMALL } from '../constructs/patterns/fixture';

/** Stack 'test' with network 'Net' and ApiTier 'Api' (group `api_servers`, min 2, max 6 by default). */
export function apiStack(props: Partial<ApiTierProps> = {}) {
  const { app, stack, net } = netStack();
  const api = new ApiTier(stack, 'Api', { image: IMAGE, flavor: SMALL, subnet: net.subnet, externalNetworkName: 'public', maxSize: 6, ...props });
  return { app, stack, net, api };
}

/**
 * Both targets of a stack as `Template`s, each checked against the schema validators first (as
 * `heatOf`/`terraformOf` do), so a test asserting on them also proves the output valid.
 */
export function validatedTemplates(stack: Stack): { heat: Template; terraform: Template } {
  const heat = synthesizeHeat(stack);
  assertValidHot({ template: heat.template, environment: heat.environment, files: heat.files as Record<string, Record<string, unknown>>, release: stack.release.schemaRelease });
  const terraform = Template.fromStack(stack, { target: 'terraform' });
  assertValidTerraformJson(terraform.toJSON());
  return { heat: Template.fromHeatFiles({ [`${heat.stackName}.yaml`]: heat.template, ...heat.files }), terraform };
}
