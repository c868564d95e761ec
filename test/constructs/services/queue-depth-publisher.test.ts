/**
 * MessageQueue.publishDepth: the publisher the queue's server runs (the writer of queue-depth
 * metrics). Its behaviour against real Keystone and Gnocchi is proven by test/loop/queue-depth.loop.ts;
 * here: what the server's user data holds, and that the script is valid Python.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Duration, MessageQueue } from '../../../src';
import { literalSecretsIn } from '../../../src/lint/rules/literal-secret-in-user-data';
import { heatOf } from '../../util/synth';
import { errorOf, fixture, hotUserData } from './fixture';

function queueWithPublisher() {
  const f = fixture();
  const queue = new MessageQueue(f.stack, 'Queue', f.host);
  return { ...f, queue };
}

function writeFiles(text: string): Map<string, string> {
  const doc = yaml.load(text.replace(/^#cloud-config\n/, '')) as { write_files: Array<{ path: string; content: string }> };
  return new Map(doc.write_files.map((f) => [f.path, f.content]));
}

describe('MessageQueue.publishDepth', () => {
  test('GIVEN a queue WHEN its depth is published THEN the server gets the publisher, its config with placeholders, its unit and the queue file', () => {
    const { stack, queue } = queueWithPublisher();
    const pub = queue.publishDepth('tasks');
    expect(pub).toMatchObject({ metricName: 'rabbitmq.tasks.messages_ready', resourceType: 'generic', archivePolicy: 'low' });
    expect(pub.interval.toSeconds()).toBe(60);
    const { text, params } = hotUserData(heatOf(stack).resources.queue);
    const files = writeFiles(text);
    expect([...files.keys()]).toEqual([
      '/usr/local/sbin/scaleout-rabbitmq-setup',
      '/usr/local/sbin/scaleout-queue-depth',
      '/etc/scaleout/queue-depth.conf',
      '/etc/systemd/system/scaleout-queue-depth.service',
      '/etc/scaleout/queue-depth.d/tasks',
    ]);
    expect(files.get('/etc/scaleout/queue-depth.conf')).toContain('[application_credential]\nid = @@QUEUE_DEPTH_CREDENTIAL_ID@@\nsecret = @@QUEUE_DEPTH_CREDENTIAL_SECRET@@\n');
    expect(files.get('/etc/scaleout/queue-depth.conf')).toContain("vhost = app\narchive_policy = low\ninterval = 60\n");
    expect(files.get('/etc/scaleout/queue-depth.d/tasks')).toBe('rabbitmq.tasks.messages_ready\n');
    expect(params['@@QUEUE_DEPTH_CREDENTIAL_ID@@']).toEqual({ get_param: 'queue_depth_credential_id' });
    // AND nothing in those files looks like a literal secret to the user-data lint
    for (const content of files.values()) expect(literalSecretsIn(content)).toEqual([]);
  });

  test('GIVEN the publisher script WHEN compiled by Python 3 THEN it is valid', () => {
    const { stack, queue } = queueWithPublisher();
    queue.publishDepth('tasks');
    const script = writeFiles(hotUserData(heatOf(stack).resources.queue).text).get('/usr/local/sbin/scaleout-queue-depth')!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-depth-'));
    try {
      const file = path.join(dir, 'publisher.py');
      fs.writeFileSync(file, script);
      const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a queue published twice WHEN asked again THEN one publisher serves it; a bad name or interval is refused', () => {
    const { queue } = queueWithPublisher();
    expect(queue.publishDepth('tasks')).toBe(queue.publishDepth('tasks'));
    expect(errorOf(() => queue.publishDepth('a/b')).message).toContain("'publishDepth.queueName'");
    const other = queueWithPublisher().queue;
    expect(errorOf(() => other.publishDepth('tasks', { interval: Duration.seconds(5) })).message).toContain("'publishDepth.interval'");
  });
});
