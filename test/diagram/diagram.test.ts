import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { command } from '../../src/cli/commands/diagram';
import { diagram, diagramGraphOfFolder, diagramOfFolder } from '../../src/diagram';
import { webApp } from '../diff/web-app-variant';

const ROOT = path.resolve(__dirname, '../..');
const FRACTALS = path.join(ROOT, 'templates/fractals/heat');

/** Parses SVG text as XML (the SVG must be well-formed): tags balance, attributes are quoted. */
function parseXml(text: string): { tags: number } {
  const stack: string[] = [];
  let tags = 0;
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|(<)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const between = text.slice(last, m.index);
    if (/[<>]/.test(between) || /&(?!(amp|lt|gt|quot|apos);)/.test(between)) throw new Error(`bad text near ${m.index}: ${between.slice(0, 40)}`);
    last = re.lastIndex;
    if (m[5]) throw new Error(`unparsable tag at ${m.index}: ${text.slice(m.index, m.index + 40)}`);
    if (!m[2]) continue;
    tags++;
    if (m[1]) {
      if (stack.pop() !== m[2]) throw new Error(`unbalanced </${m[2]}> at ${m.index}`);
    } else if (!m[4]) stack.push(m[2]);
  }
  if (stack.length) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return { tags };
}

function edges(svg: string): string[] {
  return [...svg.matchAll(/<g class="edge" data-source="([^"]+)" data-target="([^"]+)"(?: data-label="([^"]+)")?>/g)].map((m) => `${m[1]} -> ${m[2]}${m[3] ? ` [${m[3]}]` : ''}`);
}

describe('architecture diagram of the fractals example', () => {
  let svg: string;
  beforeAll(() => {
    // GIVEN the committed Heat synthesis of fractals; WHEN it is drawn
    svg = diagramOfFolder(FRACTALS);
  });

  test('security-group rules become edges labelled with protocol/port between the tiers they connect', () => {
    const e = edges(svg);
    expect(e).toContain('api_servers -> services_database [tcp/3306]');
    expect(e).toContain('api_servers -> services_queue [tcp/5672]');
    expect(e).toContain('workers_servers -> services_queue [tcp/5672]');
    // workers have no inbound rule: nothing points at them but their scaling policies
    expect(e.filter((x) => / -> workers_servers\b/.test(x)).every((x) => x.endsWith('[scales]'))).toBe(true);
  });

  test('the load-balancer chain runs internet -> floating IP -> load balancer -> listener -> pool -> group', () => {
    expect(edges(svg)).toEqual(
      expect.arrayContaining([
        'internet -> api_floating_ip',
        'api_floating_ip -> api_lb [VIP]',
        'api_lb -> api_lb_listener',
        'api_lb_listener -> api_lb_listener_pool',
        'api_lb_listener_pool -> api_servers [members :80]',
      ]),
    );
    expect(svg).toContain('>listener HTTP:80</text>');
  });

  test('groups show min-max, and alarms -> policies -> groups with the CPU threshold in percent', () => {
    expect(svg).toContain('>autoscaling group: 2 to 10 servers</text>');
    expect(svg).toContain('>autoscaling group: 1 to 20 servers</text>');
    // the fractals groups alarm on the group aggregate (the default); the scale-out band is a composite of two rules
    expect(svg).toContain('>alarm: CPU &gt; 70 % and &lt; 90 %</text>');
    expect(svg).toContain('>alarm: CPU &gt;= 90 %</text>');
    expect(svg).not.toContain('>alarm: member CPU');
    expect(edges(svg)).toEqual(
      expect.arrayContaining([
        'api_servers_cpu_high -> api_servers_cpu_scale_out [signals]',
        'api_servers_cpu_scale_out -> api_servers [scales]',
        'api_servers_cpu_saturated -> api_servers_cpu_scale_out_saturated [signals]',
        'api_servers_cpu_low -> api_servers_cpu_scale_in [signals]',
      ]),
    );
    // the URL prefix policy scales nothing and is not drawn
    expect(svg).not.toContain('api_servers_signal_base');
  });

  test('nodes are grouped in tiers, and every edge is drawn', () => {
    const graph = diagramGraphOfFolder(FRACTALS);
    expect(Object.keys(graph.clusters).sort()).toEqual(['api', 'services', 'workers']);
    expect(graph.nodes.find((n) => n.id === 'services_files')).toMatchObject({ kind: 'storage', cluster: 'services' });
    expect(edges(svg)).toHaveLength(graph.edges.length);
    for (const n of graph.nodes) expect(svg).toContain(`data-id="${n.id}"`);
  });

  test('the SVG parses as XML and is the same bytes every time, and equal to the committed one', () => {
    expect(parseXml(svg).tags).toBeGreaterThan(100);
    expect(diagramOfFolder(FRACTALS)).toBe(svg);
    expect(fs.readFileSync(path.join(ROOT, 'templates/fractals/diagram.svg'), 'utf8')).toBe(svg);
  });
});

describe('diagram(stack)', () => {
  test('draws a stack in-process, with a rule opened to the internet starting at the internet node', () => {
    // GIVEN the web-app stack with SSH opened to the internet
    const svg = diagram(webApp({ sshFromAnywhere: true }));
    // THEN the internet reaches the API group on tcp/22, and the SVG is well-formed
    expect(edges(svg)).toContain('internet -> site_api_servers [tcp/22]');
    expect(edges(svg)).toContain('site_api_servers -> site_services_database [tcp/5432]');
    expect(parseXml(svg).tags).toBeGreaterThan(50);
  });
});

describe('scaleout diagram', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-diagram-test-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const io = (cwd: string) => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), cwd }, out, err };
  };

  test('writes <out>/diagram.svg for an example folder and prints its path', async () => {
    const c = io(tmp);
    expect(await command.run([path.join(ROOT, 'templates/hello-server'), '--out', 'out'], c.io)).toBe(0);
    expect(c.out).toEqual([path.join('out', 'diagram.svg')]);
    const svg = fs.readFileSync(path.join(tmp, 'out/diagram.svg'), 'utf8');
    expect(svg).toBe(fs.readFileSync(path.join(ROOT, 'templates/hello-server/diagram.svg'), 'utf8'));
    expect(edges(svg)).toContain('internet -> web [tcp/80]');
  });

  test('a Terraform folder or a missing --out is a clear error', async () => {
    const c = io(tmp);
    expect(await command.run([path.join(ROOT, 'templates/hello-server/terraform'), '--out', 'out'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/^scaleout diagram: 'templates dir' is a Terraform synthesis; the diagram is drawn from the Heat synthesis, got ".*terraform"; .* \[SO_UNSUPPORTED\]$/);
    await expect(command.run([FRACTALS], c.io)).rejects.toThrow('give the output folder: --out <dir>');
  });

  test('names with XML characters are escaped', () => {
    // GIVEN a Heat folder whose listener pool name carries XML characters
    const doc = yaml.load(fs.readFileSync(path.join(ROOT, 'templates/hello-server/heat/hello-server.yaml'), 'utf8')) as any;
    doc.resources['a<b>&"c'] = { type: 'OS::Swift::Container', properties: { name: "x<y>&'z" } };
    fs.writeFileSync(path.join(tmp, 'odd.yaml'), yaml.dump(doc));
    fs.writeFileSync(path.join(tmp, 'odd.env.yaml'), 'parameters: {}\n');
    const svg = diagramOfFolder(tmp);
    expect(svg).toContain('object storage: x&lt;y&gt;&amp;&apos;z');
    expect(parseXml(svg).tags).toBeGreaterThan(10);
  });
});
