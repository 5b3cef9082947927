/**
 * Issue 11, must-hold 4: a real producer with acks=all keeps producing while the workbench kills
 * the partition leader's broker (kill -9). kafka-python and librdkafka (confluent-kafka) each find
 * the new leader by themselves — the dead broker's listener refuses connections, the metadata
 * names the new leader once the controller has fenced the old one — and no acknowledged record is
 * lost: every (partition, offset) a client was told is in the log with that record.
 *
 * Skipped with a message where the Python packages are missing (CI installs them).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { TopicStatus } from '../../engine/api/dto.js';
import { startLiveWire, type LiveWire } from '../helpers/live-wire.js';
import { hasPythonClients, PYTHON } from '../helpers/real-clients.js';

const SCRIPT = join(import.meta.dirname, 'clients', 'python_failover.py');
const COUNT = 400;

const hasPython = hasPythonClients('python-failover');

let rig: LiveWire | null = null;
afterEach(() => {
  rig?.close();
  rig = null;
});

interface Outcome {
  acked: { value: string; partition: number; offset: number }[];
  failed: { value: string; error: string }[];
}

async function describeTopic(name: string): Promise<TopicStatus> {
  const answer = await rig!.gateway.invoke('query', 'describeTopic', { name });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value as TopicStatus;
}

describe.skipIf(!hasPython)('acks=all producers over the wire survive the leader being killed', () => {
  for (const client of ['kafka-python', 'confluent'] as const) {
    it(`${client}: fails over to the new leader and loses no acknowledged record`, async () => {
      rig = await startLiveWire({ brokerCount: 3, seed: 41, topics: [] });
      const created = await rig.gateway.invoke('command', 'createTopic', { name: 'payments', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
      expect(created.ok, JSON.stringify(created)).toBe(true);
      const child = spawn(PYTHON, [SCRIPT, client, rig.bootstrap(), 'payments', String(COUNT)]);
      const stderr: string[] = [];
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
      let killed: number | null = null;
      let outcome: Outcome | null = null;
      for await (const line of createInterface({ input: child.stdout })) {
        const message = JSON.parse(line) as { progress?: number } & Partial<Outcome>;
        if (message.progress !== undefined) {
          killed = (await describeTopic('payments')).partitions[0]!.leader;
          const answer = await rig.gateway.invoke('command', 'killBroker', { brokerId: killed });
          expect(answer.ok).toBe(true);
        } else outcome = message as Outcome;
      }
      expect(outcome, stderr.join('').slice(-3000)).not.toBeNull();
      expect(killed).not.toBeNull();
      const { acked, failed } = outcome!;
      expect(failed, 'sends the application saw fail').toEqual([]);
      expect(acked).toHaveLength(COUNT);
      const after = await describeTopic('payments');
      expect(after.partitions[0]!.leader).not.toBe(killed);
      // Every acknowledged record is in the log at the offset its producer was told.
      const log = new Map<number, string | null>();
      for (let offset = 0; ; ) {
        const read = await rig.gateway.invoke('query', 'readRecords', { topic: 'payments', partition: 0, offset, maxRecords: 500 });
        if (!read.ok) throw new Error(read.error.message);
        const value = read.value as { records: { offset: number; value: string | null }[]; nextOffset: number; highWatermark: number };
        for (const record of value.records) log.set(record.offset, record.value);
        if (value.nextOffset >= value.highWatermark || value.records.length === 0) break;
        offset = value.nextOffset;
      }
      const lost = acked.filter((a) => log.get(a.offset) !== a.value);
      expect(lost, `acknowledged but not in the log (killed broker ${killed})`).toEqual([]);
      expect(new Set(acked.map((a) => a.offset)).size).toBe(COUNT);
    }, 240_000);
  }
});
