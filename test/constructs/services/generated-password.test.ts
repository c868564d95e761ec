/**
 * GeneratedPassword: a RandomString in Heat, a sensitive, validated variable without default in
 * Terraform; a secret Value that only sensitive outputs may show.
 */
import { GeneratedPassword } from '../../../src';
import { heatOf, terraformOf } from '../../util/synth';
import { errorOf, fixture } from './fixture';

describe('a generated password', () => {
  test('Heat: OS::Heat::RandomString of letters and digits, of the asked length', () => {
    // GIVEN a 40-character password
    const f = fixture();
    new GeneratedPassword(f.stack, 'ApiKey', { purpose: 'the API key', length: 40 });
    // WHEN synthesized to HOT
    const heat = heatOf(f.stack);
    // THEN it is a RandomString restricted to upper, lower and digits
    expect(heat.resources.api_key).toEqual({
      type: 'OS::Heat::RandomString',
      properties: {
        length: 40,
        character_classes: [
          { class: 'uppercase', min: 2 },
          { class: 'lowercase', min: 2 },
          { class: 'digits', min: 2 },
        ],
      },
    });
  });

  test('Terraform: a sensitive string variable, no default, validated for length and characters', () => {
    // GIVEN a password exported as a sensitive output
    const f = fixture();
    const pw = new GeneratedPassword(f.stack, 'ApiKey', { purpose: 'the API key' });
    f.stack.addOutput('api_key', { value: pw.value, description: 'API key', sensitive: true });
    // WHEN synthesized to Terraform
    const tf = terraformOf(f.stack);
    // THEN the variable has no default, says how to set it, and checks its value at plan time
    expect(pw.terraformVariableName).toBe('api_key');
    const v = tf.json.variable.api_key;
    expect(v).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(v).not.toHaveProperty('default');
    expect(v.description).toContain('TF_VAR_api_key');
    expect(v.validation).toEqual([
      {
        condition: '${length(var.api_key) >= 32 && can(regex("^[A-Za-z0-9]+$", var.api_key))}',
        error_message: 'api_key must be at least 32 characters long and hold only ASCII letters and digits.',
      },
    ]);
    expect(tf.json.output.api_key).toEqual({ description: 'API key', sensitive: true, value: '${var.api_key}' });
    expect(pw.value.isSecret).toBe(true);
  });

  test.each<[string, Record<string, unknown>, string, string]>([
    ['shorter than 24', { purpose: 'x', length: 16 }, 'SO_RANGE', "'length' must be between 24 and 128 characters"],
    ['not a whole number', { purpose: 'x', length: 30.5 }, 'SO_RANGE', "'length' must be an integer"],
    ['no purpose', { purpose: '' }, 'SO_EMPTY', "'purpose' must be a non-empty string"],
  ])('a length or purpose %s is refused', (_what, props, code, fragment) => {
    // GIVEN a stack
    const f = fixture();
    // WHEN the password is created with the bad input
    const e = errorOf(() => new GeneratedPassword(f.stack, 'ApiKey', props as never));
    // THEN the error names the prop and the rule
    expect(e.code).toBe(code);
    expect(e.message).toContain('test/ApiKey');
    expect(e.message).toContain(fragment);
  });
});
