/**
 * The crash tests' child process: a `.child.ts` script run from source in its own Node process, fed `input` on
 * stdin, SIGKILLed as soon as it has written its first line to stdout. Why: a server killed at a chosen moment
 * (after its reply, before processing) is something the test's own process cannot play, and killing before the
 * test looks at the line means no child outlives a failed expectation holding the SQLite file.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Runs `script` with `args`, writes `input`, and resolves with its first stdout line once it is dead. */
export async function killChildAfterFirstLine(
  script: URL,
  args: readonly string[],
  input: string,
): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      createRequire(import.meta.url).resolve('tsx'),
      '--conditions=@switchboard/source',
      fileURLToPath(script),
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.end(input);
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const end = out.indexOf('\n');
      if (end >= 0) {
        resolve(out.slice(0, end).trim());
      }
    });
    void exited.then((code) =>
      reject(new Error(`${script.pathname} exited (${code}) before its first line`)),
    );
  });
  child.kill('SIGKILL');
  await exited;
  return line;
}
