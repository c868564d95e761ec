/**
 * Reads a folder as it was at a git ref into a temporary folder, for `scaleout diff --base <ref>`.
 * Uses `git ls-tree` and `git show` only; the caller deletes the folder (`withFolderAtRef` does).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ErrorCode, propError } from '../core/errors';

function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/**
 * Runs `fn` on a temporary copy of `dir` as it was at `ref`, then deletes the copy.
 * `dir` must be inside a git work tree.
 */
export function withFolderAtRef<T>(dir: string, ref: string, fn: (copy: string) => T): T {
  let top: string;
  try {
    top = git(dir, ['rev-parse', '--show-toplevel']).toString().trim();
  } catch {
    throw propError('scaleout diff', ErrorCode.USAGE, 'dir', dir, 'is not inside a git work tree', 'run it in your repository, or compare two folders: scaleout diff <old dir> <new dir>');
  }
  try {
    git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw propError('scaleout diff', ErrorCode.USAGE, '--base', ref, 'is not a commit of this repository', 'give a branch, tag or commit, e.g. --base origin/main');
  }
  const rel = path.relative(fs.realpathSync(top), fs.realpathSync(dir)).split(path.sep).join('/');
  const files = git(top, ['ls-tree', '-r', '-z', '--name-only', ref, '--', rel === '' ? '.' : rel])
    .toString()
    .split('\0')
    .filter((f) => f !== '');
  if (files.length === 0) {
    throw propError('scaleout diff', ErrorCode.USAGE, 'dir', rel || '.', `has no files at ${ref}`, 'synthesize and commit the templates on the base branch, or compare two folders');
  }
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-diff-base-'));
  try {
    for (const f of files) {
      const target = path.join(copy, rel === '' ? f : path.relative(rel, f));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, git(top, ['show', `${ref}:${f}`]));
    }
    return fn(copy);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
