/**
 * The AWS CDK peer of the benchmark app (scripts/bench-app.ts), in plain JavaScript so that no
 * TypeScript is compiled at measure time. scripts/bench.ts installs aws-cdk-lib (the version
 * pinned there) and constructs into .bench/awscdk/ on demand, copies this file there and runs it:
 *   node .bench/awscdk/app.js <N> <outdir>
 * The same shape as Scaleout's bench app: a VPC; a services host with an elastic IP; per
 * API+worker tier pair an internet-facing ALB with a listener, an API AutoScalingGroup behind it
 * with CPU target tracking, and a worker AutoScalingGroup with step scaling on a queue metric;
 * the services host's security group opened to both groups with `connections.allowFrom`.
 * Switched off, each cheaper and none of them anything Scaleout writes: the built-in CloudFormation
 * template validation (`builtinCloudFormationValidation`), construct stack traces (`stackTraces`),
 * the AWS::CDK::Metadata resource (`analyticsReporting`) and tree.json (`treeMetadata`).
 * Run with JSII_DEPRECATED=quiet (the step scaling action's own deprecated `cooldown` warns).
 * Prints one JSON line like scripts/bench-worker.ts: synth time, CPU time, peak RSS, resource count.
 */
'use strict';
const started = process.hrtime.bigint();
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');

const pairs = Number(process.argv[2]);
const outdir = process.argv[3];
const app = new cdk.App({
  outdir,
  builtinCloudFormationValidation: false,
  stackTraces: false,
  analyticsReporting: false,
  treeMetadata: false,
  // Scaleout has no resource limit per stack; CloudFormation's 500 would stop N = 50.
  context: { '@aws-cdk/core:stackResourceLimit': 0 },
});
const stack = new cdk.Stack(app, `bench-${pairs}`);
const machineImage = ec2.MachineImage.latestAmazonLinux2023();
const instanceType = ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL);
const vpc = new ec2.Vpc(stack, 'Network', { maxAzs: 2, natGateways: 1 });
const services = new ec2.Instance(stack, 'Services', { vpc, instanceType, machineImage, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
new ec2.CfnEIP(stack, 'ServicesIp', { instanceId: services.instanceId });
for (let i = 1; i <= pairs; i++) {
  const lb = new elbv2.ApplicationLoadBalancer(stack, `Api${i}Lb`, { vpc, internetFacing: true });
  const listener = lb.addListener('Http', { port: 80, open: true });
  const api = new autoscaling.AutoScalingGroup(stack, `Api${i}`, { vpc, instanceType, machineImage, minCapacity: 1, maxCapacity: 10 });
  listener.addTargets('Api', { port: 80, targets: [api], healthCheck: { path: '/' } });
  api.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
  const workers = new autoscaling.AutoScalingGroup(stack, `Workers${i}`, { vpc, instanceType, machineImage, minCapacity: 1, maxCapacity: 20 });
  workers.scaleOnMetric('Queue', {
    metric: new cloudwatch.Metric({ namespace: 'Bench', metricName: 'QueueDepth', dimensionsMap: { Queue: `tasks-${i}` } }),
    scalingSteps: [{ upper: 0, change: -1 }, { lower: 100, change: +1 }, { lower: 500, change: +3 }],
    adjustmentType: autoscaling.AdjustmentType.CHANGE_IN_CAPACITY,
  });
  services.connections.allowFrom(api, ec2.Port.tcp(5432));
  services.connections.allowFrom(workers, ec2.Port.tcp(5672));
}
const assembly = app.synth();
const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, assembly.getStackByName(stack.stackName).templateFile), 'utf8'));
const resources = Object.keys(template.Resources).length;
const usage = process.resourceUsage();
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(`${JSON.stringify({ synthMs, cpuMs, maxRssKiB: usage.maxRSS, resources })}\n`);
