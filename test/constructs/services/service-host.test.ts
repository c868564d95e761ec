/**
 * The shared service-server building blocks: the cloud-init document every service server gets,
 * and the setup scripts of every engine, checked as POSIX shell.
 */
import { spawnSync } from 'child_process';
import { Cache, CacheEngine, Database, DatabaseEngine, DatabaseHosting, MessageQueue, serviceCloudConfig, Value } from '../../../src';
import { heatOf, hotResourcesOfType } from '../../util/synth';
import { fixture, hotUserData, setupScript } from './fixture';

describe('serviceCloudConfig', () => {
  test('installs the packages, writes a root-only script and runs it once', () => {
    // GIVEN a boot description with a placeholder
    const config = serviceCloudConfig({ packages: ['redis-server'], scriptName: 'setup-x', script: 'echo @@X@@', substitutions: [['@@X@@', Value.literal('y')]] });
    // WHEN rendered
    const text = config.render();
    // THEN packages, the file (0700 root) and the run command are there, placeholder kept for deploy time
    expect(text).toContain('packages:\n  - redis-server');
    expect(text).toContain("path: /usr/local/sbin/setup-x\n    permissions: '0700'\n    owner: root:root");
    expect(text).toContain('#!/bin/sh\n      set -eu\n      echo @@X@@');
    expect(text).toContain('runcmd:\n  - - /bin/sh\n    - /usr/local/sbin/setup-x');
    expect([...config._substitutions.keys()]).toEqual(['@@X@@']);
  });
});

describe('setup scripts', () => {
  test('every engine\'s primary and replica script, the cache\'s and the queue\'s are valid POSIX shell', () => {
    // GIVEN every service, with replicas and versions
    const f = fixture();
    const replicated = (id: string, engine: DatabaseEngine) =>
      new Database(f.stack, id, { engine, databaseName: 'app', username: 'app', hosting: DatabaseHosting.server({ ...f.host, readReplicas: 1 }) });
    replicated('My', DatabaseEngine.mysql({ version: '8.0' }));
    replicated('Maria', DatabaseEngine.mariadb({ version: '10.11' }));
    replicated('Pg', DatabaseEngine.postgresql({ version: '16' }));
    new Cache(f.stack, 'Redis', { engine: CacheEngine.redis(), ...f.host, maxMemoryMiB: 64 });
    new Cache(f.stack, 'Memcached', { engine: CacheEngine.memcached(), ...f.host, maxMemoryMiB: 64 });
    new MessageQueue(f.stack, 'Queue', f.host);
    // WHEN synthesized and each script is parsed by sh -n
    const servers = hotResourcesOfType(heatOf(f.stack).template, 'OS::Nova::Server');
    const checked: string[] = [];
    for (const [name, server] of Object.entries(servers)) {
      if (name === 'web') continue;
      const script = setupScript(hotUserData(server).text);
      const result = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
      // THEN each parses
      expect({ name, status: result.status, stderr: result.stderr }).toEqual({ name, status: 0, stderr: '' });
      expect(script.startsWith('#!/bin/sh\nset -eu\n')).toBe(true);
      checked.push(name);
    }
    expect(checked.sort()).toEqual(['maria', 'maria_replica1', 'memcached', 'my', 'my_replica1', 'pg', 'pg_replica1', 'queue', 'redis']);
  });
});
