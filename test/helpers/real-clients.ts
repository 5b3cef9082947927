/**
 * The real Kafka clients the wire-protocol tests run, and whether this machine has them. CI
 * installs them from Debian (.ci/run); elsewhere a test that needs a missing one is skipped and
 * says so once, with the package to install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's interpreter, which has the Debian packages (a pyenv python3 on PATH may not). */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function works(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** kafka-python 2.0.2 and confluent-kafka (librdkafka) importable by PYTHON; warns under `suite`'s name when not. */
export function hasPythonClients(suite: string): boolean {
  const present = works(PYTHON, ['-c', 'import kafka, confluent_kafka']);
  if (!present) console.warn(`${suite}: Python cases skipped, python3-kafka and python3-confluent-kafka are not installed (apt-get install python3-kafka python3-confluent-kafka)`);
  return present;
}

/** kcat on PATH; warns under `suite`'s name when not. */
export function hasKcat(suite: string): boolean {
  const present = works('kcat', ['-V']);
  if (!present) console.warn(`${suite}: kcat cases skipped, kcat is not installed (apt-get install kcat)`);
  return present;
}
