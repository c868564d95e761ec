import type { IConstruct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';
import { nearest } from '../../core/props';
import { isUnresolved } from '../../core/validate';
import { Value } from '../../core/value';
import { Warnings } from '../../core/warnings';

/**
 * Checks of user data content, run when a server or group takes the user data (the builders
 * have no construct path of their own, so a bad value is reported at the construct that uses it,
 * under `userData.<part>`).
 */

/** What a `CloudConfig` holds, as given by the caller. */
export interface CloudConfigParts {
  readonly packages: readonly unknown[];
  readonly files: ReadonlyArray<{ path: unknown; content: unknown; permissions: unknown; owner: unknown; _raw: unknown; _extra: string[] }>;
  readonly commands: readonly unknown[];
  readonly substitutions: ReadonlyMap<unknown, unknown>;
}

/**
 * cloud-init reads `permissions` as an octal string (`cloudinit/config/cc_write_files.py`,
 * `decode_perms`): a value it cannot parse as octal is logged and replaced by the default 0644,
 * so a typo silently writes a secret world-readable. Only 3 or 4 octal digits are accepted here.
 */
const OCTAL_PERMISSIONS = /^[0-7]{3,4}$/;
const OWNER = /^[A-Za-z_][A-Za-z0-9_.-]*(:[A-Za-z_][A-Za-z0-9_.-]*)?$/;
const PACKAGE = /^[A-Za-z0-9][A-Za-z0-9+._:=~-]*$/;
/** Placeholder names that announce a secret: a literal substituted there is a password in the template. */
const SECRET_NAME = /pass(word)?|passwd|secret|token|credential|private[_-]?key|api[_-]?key/i;

/** A text part of user data (a script line, raw text, the config itself). */
export function validateUserDataText(scope: IConstruct, prop: string, _what: string, value: unknown, allowed: string, fix: string): void {
  if (allowed === 'a CloudConfig' || typeof value !== 'string') {
    throw propError(scope, ErrorCode.FORMAT, prop, value, `must be ${allowed}`, fix);
  }
}

/** Every part of a cloud-config document. */
export function validateCloudConfig(scope: IConstruct, prop: string, parts: CloudConfigParts): void {
  parts.packages.forEach((p, i) => {
    if (typeof p !== 'string' || !PACKAGE.test(p)) {
      throw propError(scope, ErrorCode.FORMAT, `${prop}.packages[${i}]`, p, 'must be a package name (letters, digits, + . _ : = ~ -)', "pass one name per argument: addPackages('nginx', 'git')");
    }
  });
  parts.files.forEach((f, i) => {
    const at = `${prop}.files[${i}]`;
    if (f._raw === null || typeof f._raw !== 'object' || Array.isArray(f._raw)) {
      throw propError(scope, ErrorCode.FORMAT, at, f._raw, 'must be an object { path, content, permissions?, owner? }', "addFile({ path: '/etc/app.conf', content: '...' })");
    }
    for (const k of f._extra) {
      const near = nearest(k, ['path', 'content', 'permissions', 'owner']);
      throw propError(scope, ErrorCode.UNKNOWN_PROP, `${at}.${k}`, (f._raw as Record<string, unknown>)[k], 'is not a property of a cloud-init file', near ? `did you mean '${near}'?` : 'use path, content, permissions, owner');
    }
    if (typeof f.path !== 'string' || !f.path.startsWith('/') || f.path.length > 4096 || /[\0\n]/.test(f.path)) {
      throw propError(scope, ErrorCode.FORMAT, `${at}.path`, f.path, 'must be an absolute path', "write it like '/etc/app/app.conf'");
    }
    if (typeof f.content !== 'string') {
      throw propError(scope, ErrorCode.FORMAT, `${at}.content`, f.content, 'must be a string', 'pass the file content as text');
    }
    if (f.permissions !== undefined && (typeof f.permissions !== 'string' || !OCTAL_PERMISSIONS.test(f.permissions))) {
      throw propError(
        scope,
        ErrorCode.FORMAT,
        `${at}.permissions`,
        f.permissions,
        'must be 3 or 4 octal digits as a string (cloud-init replaces anything else by 0644 without failing)',
        "write it like '0640' (a string, not the number 640)",
      );
    }
    if (f.owner !== undefined && (typeof f.owner !== 'string' || !OWNER.test(f.owner))) {
      throw propError(scope, ErrorCode.FORMAT, `${at}.owner`, f.owner, "must be 'user' or 'user:group'", "write it like 'www-data:www-data'");
    }
  });
  parts.commands.forEach((c, i) => {
    const ok = typeof c === 'string' ? c.trim() !== '' : Array.isArray(c) && c.length > 0 && c.every((x) => typeof x === 'string');
    if (!ok) {
      throw propError(scope, ErrorCode.FORMAT, `${prop}.commands[${i}]`, c, 'must be a non-empty shell command (a string) or argv (a list of strings)', "addRunCommands('systemctl restart nginx')");
    }
  });
  for (const [placeholder, value] of parts.substitutions) {
    const at = `${prop}.substitute`;
    if (typeof placeholder !== 'string' || placeholder.trim() === '' || isUnresolved(placeholder)) {
      // Heat's str_replace refuses an empty key; Terraform's split on '' would put the value
      // between every character of the user data.
      throw propError(scope, ErrorCode.EMPTY, `${at}.placeholder`, placeholder, 'must be a non-empty literal text', "use a distinct marker such as '@@DB_HOST@@'");
    }
    if (placeholder.includes('${') || placeholder.includes('%{')) {
      throw propError(scope, ErrorCode.FORMAT, `${at}.placeholder`, placeholder, "must not contain '${' or '%{' (Terraform would read it as an expression)", "use a marker such as '@@DB_HOST@@'");
    }
    if (!(value instanceof Value)) {
      throw propError(scope, ErrorCode.ENUM, `${at}(${placeholder})`, value, 'must be a Value', "use Value.literal('text') or an attribute of a construct (e.g. database.host)");
    }
    value.validate(scope, `${at}(${placeholder})`);
    if (value._isLiteral && SECRET_NAME.test(placeholder)) {
      Warnings.add(
        scope,
        'scaleout:literal-secret-in-user-data',
        `'${at}(${placeholder})' substitutes a literal into user data: the secret is stored in the template and readable by anyone who can show the stack; pass a generated password (a database's password Value) instead`,
      );
    }
  }
}
