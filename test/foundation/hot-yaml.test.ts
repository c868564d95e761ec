/** The HOT YAML writer: js-yaml's bytes, for every document Scaleout writes and for awkward values. */
import * as yaml from 'js-yaml';
import { App, heatFiles, synthesizeHeat } from '../../src';
import { HOT_YAML_OPTIONS, hotYaml } from '../../src/stacks/heat/hot-yaml';
import { EXAMPLES, exampleStack } from '../../examples';
import { buildBenchApp } from '../../scripts/bench-app';

const jsYaml = (doc: unknown): string => yaml.dump(doc, HOT_YAML_OPTIONS);

const AWKWARD_STRINGS = [
  '', 'a', 'A', 'a b', 'a  b', 'a - b', 'a -b', 'a/b.c', 'a. b', 'a.', 'x/', 'a ', ' lead', 'trail ', 'bench-1/Api1 of bench',
  'yes', 'No', 'ON', 'off', 'y', 'n', 'null', 'Null', 'NULL', '~', 'true', 'False', 'TRUE', 'tRuE', 'null x', 'yes no',
  '123', '0x1F', '0o17', '1e5', '.5', '-1', '+1', '1_000', '12:30:00', '2020-01-01', '2020-01-01T00:00:00Z', '.inf', '.NaN', '<<',
  'a: b', 'a:b', 'a #b', 'a#b', '#x', '- x', '-x', 'x-', '? x', '@x', '`x', '%x', '!x', '&x', '*x', '|x', '>x', '[x]', '{x}', 'x,y', 'x:', 'x :y',
  "it's", '"q"', 'tab\tx', '\u0007bell', 'é', '😀 emoji', 'OS::Nova::Server', '${TfToken[1]}', 'https://x/y?z=1&a=b',
  'a\nb', 'a\nb\n', 'a\nb\n\n', ' a\nb', '\n a', '\nx', '\n', '\n\n', 'line\r\nx', '#!/bin/bash\necho hi\n', '   \n  x', 'x\n  indented\n',
  'k'.repeat(1100),
];
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 1e-7, NaN, Infinity, -Infinity, 2 ** 53, 0.1 + 0.2];

describe('hotYaml', () => {
  test('GIVEN every example and a generated app WHEN each HOT file is written THEN its text is js-yaml dump, byte for byte', () => {
    const stacks = [...EXAMPLES.map((example) => exampleStack(example, new App())), buildBenchApp(new App(), 3)];
    let documents = 0;
    for (const stack of stacks) {
      const synthesis = synthesizeHeat(stack);
      const docs: Record<string, unknown> = { [`${synthesis.stackName}.yaml`]: synthesis.template, [`${synthesis.stackName}.env.yaml`]: synthesis.environment, ...synthesis.files };
      for (const [name, text] of Object.entries(heatFiles(synthesis))) {
        expect(text).toBe(jsYaml(docs[name]));
        documents++;
      }
    }
    expect(documents).toBeGreaterThan(stacks.length * 2);
  });

  test('GIVEN awkward strings as values, keys, list items and literal blocks at every depth THEN the text is js-yaml dump', () => {
    const doc: Record<string, unknown> = {};
    AWKWARD_STRINGS.forEach((s, i) => {
      doc[`k${i}`] = s;
      doc[s] = i;
    });
    doc.deep = { l1: { l2: { l3: { l4: AWKWARD_STRINGS.filter((s) => s.includes('\n')) } } } };
    doc.lists = [[AWKWARD_STRINGS], [[['a\nb\n']]], { c: { d: 'a\nb' } }];
    for (const value of [doc, AWKWARD_STRINGS, ...AWKWARD_STRINGS]) expect(hotYaml(value)).toBe(jsYaml(value));
  });

  test('GIVEN numbers, booleans, null, undefined and empty collections THEN the text is js-yaml dump', () => {
    const doc = {
      numbers: NUMBERS,
      flags: { t: true, f: false, n: null, u: undefined },
      empty: { list: [], map: {}, nested: [[], [{}], [[1, [2, { x: [3] }]]]] },
      holes: [undefined, null, 'x'],
      allUndefined: { u: undefined },
    };
    for (const value of [doc, ...NUMBERS, [], {}, null, true]) expect(hotYaml(value)).toBe(jsYaml(value));
  });

  test('GIVEN something only js-yaml writes (a multi-line key, a Date) THEN js-yaml writes the whole document', () => {
    for (const value of [{ 'a\nb': 1 }, { when: new Date(0) }, { list: [new Date(0)] }]) expect(hotYaml(value)).toBe(jsYaml(value));
  });
});
