/**
 * A scanner for the Terraform expressions inside JSON strings: `${...}` interpolations and
 * `%{...}` directives in templates, and bare expressions (`depends_on`, `ignore_changes`).
 *
 * It parses just enough HCL to find every reference (a root name followed by `.attr`, `[index]`,
 * `.*` or `[*]` steps) and skip what is not one: function names (`element(...)`), object keys
 * (`{ a = 1 }`), keywords, names bound by `for` expressions and directives, and literals. String
 * literals inside expressions are templates themselves and are scanned recursively
 * (`lookup(var.m, "${var.k}")`).
 */

/** One step of a traversal after its root name. */
export type TraversalStep =
  | { readonly kind: 'attr'; readonly name: string }
  | { readonly kind: 'index'; readonly key?: string | number }
  | { readonly kind: 'splat' };

/** A reference found in an expression: `root` then `steps`, e.g. `var` `.name`. */
export interface Reference {
  readonly root: string;
  readonly steps: readonly TraversalStep[];
  /** The reference as written (`openstack_x.y[count.index].id`); absent for references built by hand. */
  readonly source?: string;
}

/** What a scan found. */
export interface ExpressionScan {
  readonly references: readonly Reference[];
  /** Syntax problems, as sentences. */
  readonly errors: readonly string[];
}

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);

/** True when a string has an unescaped `${` or `%{`, i.e. Terraform evaluates it as a template. */
export function containsTemplate(value: string): boolean {
  for (let i = 0; i < value.length - 1; i++) {
    const c = value[i];
    if ((c === '$' || c === '%') && value[i + 1] === c && value[i + 2] === '{') {
      i += 2; // `$${` and `%%{` are escapes for a literal `${` / `%{`
    } else if ((c === '$' || c === '%') && value[i + 1] === '{') {
      return true;
    }
  }
  return false;
}

/** Scans a JSON string value as a Terraform template. */
export function scanTemplate(value: string): ExpressionScan {
  const scanner = new Scanner(value);
  scanner.template(false);
  return scanner.result();
}

/** Scans a string as one bare expression (a `depends_on` entry, say). */
export function scanExpression(value: string): ExpressionScan {
  const scanner = new Scanner(value);
  scanner.expression(undefined);
  if (scanner.pos < value.length) scanner.error(`unexpected '${value[scanner.pos]}' at offset ${scanner.pos}`);
  return scanner.result();
}

/** The reference as written, or (for the first `stepCount` steps) as Terraform would write it: `openstack_x.y[0].id`, `var.m["k"]`. */
export function referenceText(ref: Reference, stepCount?: number): string {
  if (stepCount === undefined && ref.source !== undefined) return ref.source;
  let text = ref.root;
  for (const step of ref.steps.slice(0, stepCount ?? ref.steps.length)) {
    if (step.kind === 'attr') text += `.${step.name}`;
    else if (step.kind === 'splat') text += '[*]';
    else if (step.key === undefined) text += '[...]';
    else text += `[${JSON.stringify(step.key)}]`;
  }
  return text;
}

type Token = (
  | { readonly kind: 'ident'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value?: string }
  | { readonly kind: 'punct'; readonly value: string }
) & { readonly start: number; readonly end: number };

const PUNCTUATION = ['...', '=>', '==', '!=', '<=', '>=', '&&', '||', '::', '.', ',', ':', '?', '(', ')', '[', ']', '{', '}', '=', '*', '+', '-', '/', '%', '!', '<', '>'];
const CLOSERS: { readonly [open: string]: string } = { '(': ')', '[': ']', '{': '}' };

class Scanner {
  public pos = 0;
  private readonly references: Reference[] = [];
  private readonly errors: string[] = [];
  /** Names bound by `for` expressions and directives anywhere in the text (`%{ for x in ... }` binds `x` for what follows). */
  private readonly bound = new Set<string>();

  constructor(private readonly text: string) {}

  public result(): ExpressionScan {
    return { references: this.references, errors: this.errors };
  }

  public error(message: string): void {
    this.errors.push(message);
  }

  /**
   * Scans template text up to the end (or up to the closing quote of a string literal), handing
   * each interpolation and directive to `expression`. Returns the literal text, or undefined when
   * the template has interpolations.
   */
  public template(inQuotes: boolean): string | undefined {
    let literal: string | undefined = '';
    const s = this.text;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (inQuotes && c === '"') {
        this.pos++;
        return literal;
      }
      if (inQuotes && c === '\\') {
        if (literal !== undefined) literal += s[this.pos + 1] ?? '';
        this.pos += 2;
        continue;
      }
      if ((c === '$' || c === '%') && s[this.pos + 1] === c && s[this.pos + 2] === '{') {
        if (literal !== undefined) literal += `${c}{`;
        this.pos += 3;
        continue;
      }
      if ((c === '$' || c === '%') && s[this.pos + 1] === '{') {
        const start = this.pos;
        this.pos += 2;
        if (s[this.pos] === '~') this.pos++;
        this.expression('}');
        if (s[this.pos] !== '}') {
          this.error(`'${c}{' at offset ${start} is not closed with '}'`);
          return undefined;
        }
        this.pos++;
        literal = undefined;
        continue;
      }
      if (literal !== undefined) literal += c;
      this.pos++;
    }
    if (inQuotes) this.error('a string literal is not closed with \'"\'');
    return literal;
  }

  /** Tokenizes one expression up to `terminator` at bracket depth 0 (not consumed), then extracts its references. */
  public expression(terminator: string | undefined): void {
    const tokens: Token[] = [];
    const stack: string[] = [];
    const s = this.text;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (/\s/.test(c)) {
        this.pos++;
        continue;
      }
      if (stack.length === 0 && terminator !== undefined && (c === terminator || (c === '~' && s[this.pos + 1] === terminator))) {
        if (c === '~') this.pos++;
        break;
      }
      if (c === '"') {
        const start = this.pos;
        this.pos++;
        const literal = this.template(true);
        tokens.push(literal === undefined ? { kind: 'string', start, end: this.pos } : { kind: 'string', value: literal, start, end: this.pos });
        continue;
      }
      if (c === '<' && s[this.pos + 1] === '<') {
        this.error('heredoc strings are not supported inside JSON string expressions');
        this.pos = s.length;
        break;
      }
      // Sticky match at the position, over the whole rest: Terraform puts no length limit on an
      // identifier, so a resource name longer than any window must still be read in full.
      const identPattern = /[A-Za-z_][A-Za-z0-9_-]*(?:::[A-Za-z_][A-Za-z0-9_-]*)*/y;
      identPattern.lastIndex = this.pos;
      const ident = identPattern.exec(s);
      if (ident) {
        tokens.push({ kind: 'ident', value: ident[0], start: this.pos, end: this.pos + ident[0].length });
        this.pos += ident[0].length;
        continue;
      }
      const afterDot = tokens.length > 0 && tokens[tokens.length - 1].kind === 'punct' && tokens[tokens.length - 1].value === '.';
      const numPattern = afterDot ? /[0-9]+/y : /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
      numPattern.lastIndex = this.pos;
      const num = numPattern.exec(s);
      if (num) {
        tokens.push({ kind: 'number', value: Number(num[0]), start: this.pos, end: this.pos + num[0].length });
        this.pos += num[0].length;
        continue;
      }
      const punct = PUNCTUATION.find((p) => s.startsWith(p, this.pos));
      if (!punct) {
        this.error(`unexpected character '${c}' at offset ${this.pos}`);
        this.pos++;
        continue;
      }
      if (CLOSERS[punct]) stack.push(CLOSERS[punct]);
      else if (punct === ')' || punct === ']' || punct === '}') {
        if (stack.pop() !== punct) {
          this.error(`unbalanced '${punct}' at offset ${this.pos}`);
          this.pos++;
          return;
        }
      }
      tokens.push({ kind: 'punct', value: punct, start: this.pos, end: this.pos + punct.length });
      this.pos += punct.length;
    }
    if (stack.length > 0) this.error(`'${stack[stack.length - 1]}' expected before the end of the expression`);
    if (tokens.length === 0) this.error('an interpolation is empty');
    this.extract(tokens);
  }

  /** Finds the references in one expression's tokens. */
  private extract(tokens: readonly Token[]): void {
    const bound = this.bound;
    const brackets: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind === 'punct') {
        if (CLOSERS[t.value]) brackets.push(t.value);
        else if (t.value === ')' || t.value === ']' || t.value === '}') brackets.pop();
        continue;
      }
      if (t.kind !== 'ident') continue;
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      if (t.value === 'for') {
        // `for k, v in coll`: k and v are names bound by the expression, not references.
        for (i++; i < tokens.length && !(tokens[i].kind === 'ident' && tokens[i].value === 'in'); i++) {
          const b = tokens[i];
          if (b.kind === 'ident') bound.add(b.value);
        }
        continue;
      }
      if (KEYWORDS.has(t.value) || bound.has(t.value)) continue;
      if (prev?.kind === 'punct' && (prev.value === '.' || prev.value === '::')) continue;
      if (next?.kind === 'punct' && next.value === '(') continue; // function call
      const inObject = brackets[brackets.length - 1] === '{';
      if (inObject && next?.kind === 'punct' && (next.value === '=' || (next.value === ':' && (prev?.value === '{' || prev?.value === ',')))) {
        continue; // object key
      }
      const { steps, end } = traversal(tokens, i + 1);
      this.references.push({ root: t.value, steps, source: this.text.slice(t.start, tokens[end - 1].end) });
    }
  }
}

/** The traversal steps that follow a root name at `start`. */
function traversal(tokens: readonly Token[], start: number): { steps: TraversalStep[]; end: number } {
  const steps: TraversalStep[] = [];
  let i = start;
  while (i < tokens.length) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.kind === 'punct' && t.value === '.' && next) {
      if (next.kind === 'ident') steps.push({ kind: 'attr', name: next.value });
      else if (next.kind === 'number') steps.push({ kind: 'index', key: next.value });
      else if (next.kind === 'punct' && next.value === '*') steps.push({ kind: 'splat' });
      else break;
      i += 2;
    } else if (t.kind === 'punct' && t.value === '[') {
      let depth = 0;
      let j = i;
      for (; j < tokens.length; j++) {
        const b = tokens[j];
        if (b.kind === 'punct' && CLOSERS[b.value]) depth++;
        else if (b.kind === 'punct' && (b.value === ']' || b.value === ')' || b.value === '}')) depth--;
        if (depth === 0) break;
      }
      if (j >= tokens.length) break; // unbalanced: reported by the tokenizer
      const inner = tokens.slice(i + 1, j);
      if (inner.length === 1 && inner[0].kind === 'punct' && inner[0].value === '*') steps.push({ kind: 'splat' });
      else if (inner.length === 1 && (inner[0].kind === 'number' || (inner[0].kind === 'string' && inner[0].value !== undefined))) {
        steps.push({ kind: 'index', key: inner[0].value });
      } else steps.push({ kind: 'index' });
      i = j + 1;
    } else break;
  }
  return { steps, end: i };
}
