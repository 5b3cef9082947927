/** Starts `kafka-lab serve` as a child process and waits for the URL it prints. */
import { spawn, type ChildProcess } from 'node:child_process';
import { builtCli, repoRoot } from './built.js';

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  readonly token: string;
  output(): string;
  stop(): Promise<number | null>;
}

export function startServe(args: readonly string[], timeoutMs = 20_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [builtCli, 'serve', '--no-kafka', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kafka-lab serve printed no URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kafka-lab serve exited with ${code}:\n${output}`));
    });
    child.stdout.on('data', () => {
      const match = /Open (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+))/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1]!,
        port: Number(match[2]),
        token: match[3]!,
        output: () => output,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
