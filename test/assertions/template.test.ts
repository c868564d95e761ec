/** Template: the same assertions over both targets, reaching into member and embedded templates. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { heatFiles, synthesizeHeat, synthesizeTerraform } from '../../src';
import { Capture, Match, Template } from '../../src/assertions';
import { apiStack } from './fixture';

describe('Template over Heat', () => {
  const { stack } = apiStack({ cpuAlarmsPerMember: true });
  const template = Template.fromStack(stack, { target: 'heat' });

  test('hasResourceProperties passes on a partial match and resourceCountIs counts by type', () => {
    // GIVEN an API tier WHEN asserted on THEN the group is in the main template and its CPU alarms in the member template, one set per server
    template.hasResourceProperties('OS::Heat::AutoScalingGroup', { min_size: 2, max_size: 6 });
    template.resourceCountIs('OS::Aodh::GnocchiAggregationByResourcesAlarm', 0);
    const member = template.nested('api_servers');
    member.resourceCountIs('OS::Aodh::GnocchiResourcesAlarm', 2);
    member.resourceCountIs('OS::Aodh::CompositeAlarm', 1);
    member.hasResourceProperties('OS::Aodh::GnocchiResourcesAlarm', { resource_id: { get_resource: 'api_servers_server' }, alarm_actions: [{ get_param: 'api_servers_cpu_scale_in_alarm_url' }] });
    expect(() => template.resourceCountIs('OS::Heat::AutoScalingGroup', 2)).toThrow(
      'heat template test.yaml: expected 2 resources of type OS::Heat::AutoScalingGroup but found 1: [api_servers]',
    );
  });

  test('a failure names the closest candidate and each difference', () => {
    // WHEN a pattern is wrong in one place THEN the message shows the alarm that comes closest and where it differs
    const member = template.nested('api_servers');
    expect(() => member.hasResourceProperties('OS::Aodh::GnocchiResourcesAlarm', { comparison_operator: 'lt', threshold: 1, evaluation_periods: 2 })).toThrow(
      "heat template api_servers_member.yaml: none of 2 resources of type OS::Aodh::GnocchiResourcesAlarm matches the pattern.\n" +
        "The closest is 'api_servers_cpu_low' (1 difference):\n  at /threshold: expected 1 but got 90000000000",
    );
    expect(() => template.hasResourceProperties('OS::Nova::Server', {})).toThrow('heat template test.yaml: has no resources of type OS::Nova::Server');
  });

  test('hasResource matches the whole definition; findResources returns the matches by name', () => {
    template.hasResource('OS::Heat::AutoScalingGroup', { depends_on: Match.arrayWith(['net_subnet']) });
    expect(Object.keys(template.findResources('OS::Heat::ScalingPolicy', { properties: { scaling_adjustment: -1 } }))).toEqual(['api_servers_scale_in']);
    expect(Object.keys(template.findResources('OS::Heat::ScalingPolicy', { properties: { adjustment_type: 'percent_change_in_capacity', min_adjustment_step: 1 } }))).toEqual([
      'api_servers_cpu_scale_out',
      'api_servers_cpu_scale_out_saturated',
      'api_servers_cpu_scale_in',
    ]);
  });

  test('nested() reaches the member template of a group; Capture reads a value out', () => {
    // WHEN the member template of the group is asserted on
    const member = template.nested('api_servers');
    // THEN its server carries the metering key, and its pool member uses the pool parameter
    member.hasResourceProperties('OS::Nova::Server', { metadata: { 'metering.server_group': { get_param: 'server_group' } } });
    const pool = new Capture();
    member.hasResourceProperties('OS::Octavia::PoolMember', { pool: { get_param: pool }, protocol_port: 80 });
    expect(pool.asString()).toBe('api_lb_listener_pool_pool');
    expect(member.location).toBe('api_servers_member.yaml');
    expect(() => template.nested('api_lb')).toThrow("heat template test.yaml: 'api_lb' is not a resource holding a nested template; those are [api_servers]");
  });

  test('hasOutput and hasParameter', () => {
    template.hasOutput('api_servers_scale_out_url', { value: { get_attr: ['api_servers_scale_out', 'signal_url'] } });
    template.hasParameter('scaling_enabled', { type: 'boolean', default: true });
    expect(() => template.hasOutput('api_url', { value: 'x' })).toThrow("none of 1 output 'api_url' matches the pattern");
    expect(Object.keys(template.findOutputs('*', { value: { get_attr: Match.arrayWith(['signal_url']) } }))).toEqual([
      'api_servers_scale_out_url',
      'api_servers_scale_in_url',
    ]);
  });

  test('fromHeatFiles reads the same output as written files', () => {
    // GIVEN the files as heatFiles() gives them WHEN read back THEN the same assertions hold
    const fromFiles = Template.fromHeatFiles(heatFiles(synthesizeHeat(stack)));
    expect(fromFiles.toJSON()).toEqual(template.toJSON());
    fromFiles.nested('api_servers').resourceCountIs('OS::Octavia::PoolMember', 1);
  });
});

describe('Template over a written Heat folder', () => {
  test('a folder of two stacks needs { main }; with it, the member template is reached', () => {
    // GIVEN two stacks' Heat files written into one folder
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-tpl-heat-'));
    try {
      const { stack } = apiStack();
      for (const [name, text] of Object.entries(heatFiles(synthesizeHeat(stack)))) fs.writeFileSync(path.join(dir, name), text);
      fs.writeFileSync(path.join(dir, 'other.yaml'), "heat_template_version: '2021-04-16'\nresources: {}\n");
      fs.writeFileSync(path.join(dir, 'other.env.yaml'), '{}\n');
      // WHEN read without and with the main template's name
      expect(() => Template.fromHeatFiles(dir)).toThrow(`Template.fromHeatFiles: ${dir} holds main templates [other.yaml, test.yaml]; pass { main } to choose one`);
      const t = Template.fromHeatFiles(dir, { main: 'test.yaml' });
      // THEN the chosen stack and its member template are asserted on
      t.resourceCountIs('OS::Heat::AutoScalingGroup', 1);
      t.nested('api_servers').resourceCountIs('OS::Octavia::PoolMember', 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Template over Terraform', () => {
  const { stack } = apiStack();
  const template = Template.fromStack(stack, { target: 'terraform' });

  test('native resources by Terraform type; the group is embedded, with its member template', () => {
    // GIVEN the same tier WHEN asserted on in Terraform
    template.hasResourceProperties('openstack_lb_listener_v2', { protocol: 'HTTP', protocol_port: 80 });
    template.resourceCountIs('openstack_orchestration_stack_v1', 1);
    template.hasParameter('scaling_enabled', { type: 'bool' });
    // THEN the embedded Heat template holds the group and alarms, and its member template is reachable
    const embedded = template.nested('api_servers');
    expect(embedded.format).toBe('hot');
    embedded.hasResourceProperties('OS::Heat::AutoScalingGroup', { min_size: 2, max_size: 6 });
    embedded.nested('api_servers').hasResourceProperties('OS::Octavia::PoolMember', { pool: { get_param: 'api_lb_listener_pool_pool' } });
    expect(() => template.nested('nope')).toThrow("terraform template cdk.tf.json: no openstack_orchestration_stack_v1 named 'nope' to look into; there are [api_servers]");
  });

  test('fromTerraformJson over a written folder, and fromStack leaves no folder behind', () => {
    // GIVEN the stack written by cdktf
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-tpl-'));
    try {
      const [written] = synthesizeTerraform(stack, outdir);
      // WHEN read back from the folder THEN the member template under assets/ is reachable too
      const fromDir = Template.fromTerraformJson(written.directory);
      fromDir.nested('api_servers').nested('api_servers').resourceCountIs('OS::Nova::Server', 1);
      // AND without its files the embedded template is reachable but its member is not
      expect(() => Template.fromTerraformJson(written.json).nested('api_servers').nested('api_servers')).toThrow('is not among the files read');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('scaleout-assertions-'));
    Template.fromStack(stack, { target: 'terraform' });
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('scaleout-assertions-'))).toEqual(before);
  });

  test('an unknown target is refused', () => {
    expect(() => Template.fromStack(stack, { target: 'cfn' as never })).toThrow("Template.fromStack: 'target' must be 'heat' or 'terraform', got \"cfn\"");
  });
});
