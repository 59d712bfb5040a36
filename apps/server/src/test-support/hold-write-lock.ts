/**
 * Another process holding SQLite's write lock on a database file, as a `sqlite3` shell, a backup or a second
 * server would: a child node process opens the file, runs `BEGIN IMMEDIATE` and a write, and keeps the
 * transaction open until told to release it (or until its own safety timeout).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

// Plain CommonJS run by `node -e`: the driver path, the file and the safety timeout come as arguments.
const HOLDER_SOURCE = `
const [driver, file, maxMs] = process.argv.slice(1);
const Database = require(driver);
const db = new Database(file, { fileMustExist: true, timeout: 10000 });
db.exec('BEGIN IMMEDIATE');
// A real write in the open transaction (the header's user_version, rewritten unchanged).
db.pragma('user_version = ' + Number(db.pragma('user_version', { simple: true })));
process.stdout.write('locked\\n');
let done = false;
const release = () => {
  if (done) return;
  done = true;
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\\n');
  process.exit(0);
};
setTimeout(release, Number(maxMs));
process.stdin.on('data', release);
process.stdin.on('end', release);
`;

export interface WriteLockHolder {
  readonly child: ChildProcess;
  /** Asks the child to commit and close; resolves once it has (the lock is free). */
  release(): Promise<void>;
  /** Resolves once the child has released the lock, whoever asked (or its own timeout). */
  readonly released: Promise<void>;
}

/**
 * Starts a child process holding the write lock of the SQLite `file`; resolves once the lock is held.
 * Why: tests and the bench need a real lock from a real other process, not a mocked SQLITE_BUSY.
 */
export function holdWriteLock(file: string, options: { maxMs?: number } = {}): Promise<WriteLockHolder> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(
    process.execPath,
    ['-e', HOLDER_SOURCE, driver, file, String(options.maxMs ?? 30_000)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let onReleased: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    onReleased = resolve;
  });
  return new Promise<WriteLockHolder>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      onReleased();
      reject(new Error(`the lock holder exited (${code}) before taking the lock`));
    });
    lines.on('line', (line) => {
      if (line === 'locked') {
        resolve({
          child,
          released,
          release() {
            child.stdin?.end('release\n');
            return released;
          },
        });
      } else if (line === 'released') {
        onReleased();
      }
    });
  });
}
