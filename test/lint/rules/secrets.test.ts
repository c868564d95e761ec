/** Secret rules: nothing secret in outputs, no literal secret in user data. */
import { literalSecretInUserData, outputWithSuppressions, secretInOutput } from '../../../src/lint';
import { apiStack } from '../../assertions/fixture';
import { failures, heatOutput, run, tfOutput } from '../fixture';

describe('secret-in-output', () => {
  test('a generated password, a pre-signed alarm_url and a hidden parameter in HOT outputs are flagged', () => {
    const out = heatOutput({
      parameters: { key: { type: 'string', hidden: true } },
      resources: { pw: { type: 'OS::Heat::RandomString' }, up: { type: 'OS::Heat::ScalingPolicy', properties: {} } },
      outputs: {
        password: { value: { get_attr: ['pw', 'value'] } },
        webhook: { value: { get_attr: ['up', 'alarm_url'] } },
        key: { value: { get_param: 'key' } },
        signal: { value: { get_attr: ['up', 'signal_url'] } },
      },
    });
    expect(failures(secretInOutput, out)).toEqual([
      'outputs.password: output password shows value of OS::Heat::RandomString pw',
      'outputs.webhook: output webhook shows alarm_url of OS::Heat::ScalingPolicy up',
      'outputs.key: output key shows hidden parameter key',
    ]);
  });

  test('a sensitive variable in a Terraform output not marked sensitive is flagged; marked, it passes', () => {
    const json = (sensitive: boolean) => ({ variable: { db_password: { type: 'string', sensitive: true } }, output: { dsn: { value: 'mysql://app:${var.db_password}@db', sensitive } } });
    expect(failures(secretInOutput, tfOutput(json(false)))).toEqual(['outputs.dsn: output dsn shows sensitive variable db_password and is not marked sensitive']);
    expect(failures(secretInOutput, tfOutput(json(true)))).toEqual([]);
  });

  test("the API tier's outputs (signal_url webhooks, URL) pass in both targets", () => {
    const { stack } = apiStack();
    for (const target of ['heat', 'terraform'] as const) {
      const results = run(secretInOutput, outputWithSuppressions(stack, target));
      expect(results.filter((r) => r.compliance === 'non-compliant')).toEqual([]);
      expect(results.length).toBeGreaterThanOrEqual(4);
    }
  });
});

describe('literal-secret-in-user-data', () => {
  test('a literal password, an SQL password and URL credentials are flagged; a literal secret parameter too', () => {
    const out = heatOutput({
      resources: {
        db: {
          type: 'OS::Nova::Server',
          properties: { user_data: "#cloud-config\nruncmd:\n  - echo 'password: hunter2' > /etc/app.conf\n  - mysql -e \"CREATE USER 'a'@'%' IDENTIFIED BY 's3cret'\"\n  - curl https://bob:pa55@example.com/x\n" },
        },
        app: { type: 'OS::Nova::Server', properties: { user_data: { str_replace: { template: 'DB_PASSWORD=@@DB_PASSWORD@@', params: { '@@DB_PASSWORD@@': 'literal-pw' } } } } },
      },
    });
    expect(failures(literalSecretInUserData, out)).toEqual([
      "db: user data holds 'password: hunter2', 'IDENTIFIED BY 's3cret'', 'https://bob:pa55@'",
      'app: user data holds parameter @@DB_PASSWORD@@ set to a literal',
    ]);
  });

  test('placeholders filled at deploy time pass: @@X@@ from get_attr in Heat, ${var.x} in Terraform', () => {
    const heat = heatOutput({
      resources: {
        app: {
          type: 'OS::Nova::Server',
          properties: { user_data: { str_replace: { template: "password: @@DB_PASSWORD@@\nIDENTIFIED BY '@@DB_PASSWORD@@'", params: { '@@DB_PASSWORD@@': { get_attr: ['pw', 'value'] } } } } },
        },
      },
    });
    expect(run(literalSecretInUserData, heat).map((r) => r.compliance)).toEqual(['compliant']);
    const tf = tfOutput({ resource: { openstack_compute_instance_v2: { app: { user_data: 'amqp://app:${var.mq_password}@10.0.0.5:5672/app' } } } });
    expect(run(literalSecretInUserData, tf).map((r) => r.compliance)).toEqual(['compliant']);
  });
});
