/**
 * The groups store follows the engine's `groups` stream while started, re-reads the in-app
 * consumers when the groups change (folding reads that overlap), and runs the Groups view's
 * commands; the consumer-log store shows one consumer's log and drops answers that come too late.
 */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsumerStatus } from '../../../engine/api/groups-dto';
import { provideEngineApi } from '../../../renderer/src/api/api-provider';
import { useConsumerLogStore } from '../../../renderer/src/stores/consumer-log-store';
import { useGroupsStore } from '../../../renderer/src/stores/groups-store';
import { refusal, fakeEngine, type FakeEngine } from './fake-engine-api';
import { consumer, emptyGroup, inventoryGroup, snapshot } from './groups-fixtures';

let engine: FakeEngine;

beforeEach(() => {
  setActivePinia(createPinia());
  engine = fakeEngine();
  provideEngineApi(engine.api);
  engine.on('listConsumers', () => ({ consumers: [] }));
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('useGroupsStore', () => {
  it('follows the groups stream once started, and stops following when stopped', async () => {
    const groups = useGroupsStore();
    groups.start();
    expect(engine.subscriberCount('groups')).toBe(1);
    engine.emit('groups', snapshot([inventoryGroup(), emptyGroup('audit')]));
    expect(groups.groups.map((g) => g.groupId)).toEqual(['audit', 'inventory']);
    expect(groups.memberCount).toBe(2);
    groups.stop();
    expect(engine.subscriberCount('groups')).toBe(0);
    await flush();
  });

  it('shows the first group until one is chosen, and falls back when the chosen one goes', () => {
    const groups = useGroupsStore();
    expect(groups.selectedGroup).toBeNull();
    groups.setSnapshot(snapshot([inventoryGroup(), emptyGroup('audit')]));
    expect(groups.selectedGroup?.groupId).toBe('audit');
    groups.selectGroup('inventory');
    expect(groups.selectedGroup?.groupId).toBe('inventory');
    expect(groups.selectedRows.map((r) => `${r.clientId}:${r.partition}`)).toEqual(['inventory-1:0', 'inventory-1:1', 'inventory-2:2']);
    expect(groups.selectedLag).toBe(6);
    expect(groups.selectedRebalances.map((r) => r.generation)).toEqual([2, 1]);
    expect([...groups.selectedLagBars.values()].filter((bar) => bar === null)).toHaveLength(1);
    groups.setSnapshot(snapshot([emptyGroup('audit')]));
    expect(groups.selectedGroup?.groupId).toBe('audit');
  });

  it('derives the summaries the list shows', () => {
    const groups = useGroupsStore();
    groups.setSnapshot(snapshot([inventoryGroup(), emptyGroup('audit')]));
    expect(groups.summaries.map((s) => [s.groupId, s.state, s.tone, s.memberCount, s.totalLag])).toEqual([
      ['audit', 'Empty', 'neutral', 0, 2],
      ['inventory', 'Stable', 'success', 2, 6],
    ]);
  });

  it('re-reads the consumers when the groups change, one read at a time, and merges them into the members', async () => {
    const groups = useGroupsStore();
    const answers: ReturnType<typeof deferred<{ consumers: ConsumerStatus[] }>>[] = [];
    engine.on('listConsumers', () => {
      const next = deferred<{ consumers: ConsumerStatus[] }>();
      answers.push(next);
      return next.promise;
    });
    groups.start();
    expect(answers).toHaveLength(1);
    engine.emit('groups', snapshot([inventoryGroup()]));
    engine.emit('groups', snapshot([inventoryGroup()]));
    // Two snapshots while the first read travels: one more read afterwards, not two.
    expect(answers).toHaveLength(1);
    answers[0]?.resolve({ consumers: [consumer('inventory-1')] });
    await flush();
    expect(answers).toHaveLength(2);
    answers[1]?.resolve({ consumers: [consumer('inventory-1'), consumer('inventory-2', { state: 'CRASHED' })] });
    await flush();
    expect(answers).toHaveLength(2);
    expect(groups.selectedMembers.map((m) => [m.clientId, m.consumer?.state, m.stoppable])).toEqual([
      ['inventory-1', 'STABLE', true],
      ['inventory-2', 'CRASHED', false],
    ]);
    expect(groups.runningClientIds).toEqual(['inventory-1']);
    groups.stop();
  });

  it('keeps the last consumers and the refusal when listConsumers fails', async () => {
    const groups = useGroupsStore();
    engine.on('listConsumers', () => ({ consumers: [consumer('inventory-1')] }));
    await groups.refreshConsumers();
    engine.on('listConsumers', () => {
      throw refusal('COORDINATOR_NOT_AVAILABLE', 'The coordinator is not available.', 15);
    });
    await groups.refreshConsumers();
    expect(groups.consumers.map((c) => c.clientId)).toEqual(['inventory-1']);
    expect(groups.consumersError).toEqual({ errorName: 'COORDINATOR_NOT_AVAILABLE', message: 'The coordinator is not available.' });
  });

  it('starts a consumer, shows it at once and selects its group', async () => {
    const groups = useGroupsStore();
    groups.setSnapshot(snapshot([emptyGroup('audit'), inventoryGroup()]));
    engine.on('startConsumer', () => consumer('inventory-3', { state: 'UNJOINED', memberId: '', generation: -1 }));
    const request = { groupId: 'inventory', topics: ['orders'] };
    const status = await groups.startConsumer(request);
    expect(status.clientId).toBe('inventory-3');
    expect(engine.calls.filter((c) => c.kind === 'command')).toEqual([{ kind: 'command', name: 'startConsumer', request }]);
    expect(groups.consumers.map((c) => c.clientId)).toEqual(['inventory-3']);
    expect(groups.selectedGroup?.groupId).toBe('inventory');
    expect(groups.selectedMembers.at(-1)).toMatchObject({ clientId: 'inventory-3', memberId: null, stoppable: true });
  });

  it('closes and crashes consumers with the stop command, and passes refusals on', async () => {
    const groups = useGroupsStore();
    engine.on('stopConsumer', (request) => {
      const { clientId, mode } = request as { clientId: string; mode: 'close' | 'crash' };
      if (clientId === 'gone') throw refusal('INVALID_REQUEST', "No in-app consumer with client.id 'gone'.", 42);
      return consumer(clientId, { state: mode === 'close' ? 'CLOSED' : 'CRASHED' });
    });
    await groups.stopConsumer('inventory-1', 'close');
    await groups.stopConsumer('inventory-2', 'crash');
    await expect(groups.stopConsumer('gone', 'close')).rejects.toMatchObject({ errorName: 'INVALID_REQUEST' });
    expect(engine.calls.filter((c) => c.kind === 'command').map((c) => c.request)).toEqual([
      { clientId: 'inventory-1', mode: 'close' },
      { clientId: 'inventory-2', mode: 'crash' },
      { clientId: 'gone', mode: 'close' },
    ]);
    expect(groups.consumers.map((c) => [c.clientId, c.state])).toEqual([
      ['inventory-1', 'CLOSED'],
      ['inventory-2', 'CRASHED'],
    ]);
  });

  it('drops a deleted group at once, and leaves a group Kafka refuses to delete where it is', async () => {
    const groups = useGroupsStore();
    groups.setSnapshot(snapshot([emptyGroup('audit'), inventoryGroup()]));
    engine.on('deleteGroup', (request) => {
      const { groupId } = request as { groupId: string };
      if (groupId === 'inventory') throw refusal('NON_EMPTY_GROUP', 'The group is not empty.', 68);
      return { groupId };
    });
    await groups.deleteGroup('audit');
    expect(groups.groups.map((g) => g.groupId)).toEqual(['inventory']);
    await expect(groups.deleteGroup('inventory')).rejects.toMatchObject({ errorName: 'NON_EMPTY_GROUP', message: 'The group is not empty.' });
    expect(groups.groups.map((g) => g.groupId)).toEqual(['inventory']);
  });
});

describe('useConsumerLogStore', () => {
  it('reads the chosen consumer’s log and refreshes it', async () => {
    const log = useConsumerLogStore();
    let lines = ['[2025-05-06 07:08:09,010] INFO [Consumer clientId=inventory-1, groupId=inventory] Subscribed to topic(s): orders (org.apache.kafka.clients.consumer.KafkaConsumer)'];
    engine.on('consumerLog', (request) => ({ clientId: (request as { clientId: string }).clientId, lines }));
    await log.open('inventory-1');
    expect(log.clientId).toBe('inventory-1');
    expect(log.lines).toHaveLength(1);
    expect(log.loading).toBe(false);
    lines = [...lines, '[2025-05-06 07:08:09,512] INFO [Consumer clientId=inventory-1, groupId=inventory] Discovered group coordinator localhost:9093 (id: 2147483645 rack: null) (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)'];
    await log.refresh();
    expect(log.lines).toHaveLength(2);
    log.close();
    expect(log.clientId).toBeNull();
    expect(log.lines).toEqual([]);
  });

  it('hides DEBUG lines unless asked, as log4j at INFO would', async () => {
    const log = useConsumerLogStore();
    const line = (level: string, text: string) => `[2025-05-06 07:08:09,010] ${level} [Consumer clientId=inventory-1, groupId=inventory] ${text} (x)`;
    engine.on('consumerLog', () => ({ clientId: 'inventory-1', lines: [line('INFO', 'a'), line('DEBUG', 'b'), line('WARN', 'c'), 'no level'] }));
    await log.open('inventory-1');
    expect(log.shownLines).toEqual([line('INFO', 'a'), line('WARN', 'c'), 'no level']);
    log.setShowDebug(true);
    expect(log.shownLines).toHaveLength(4);
  });

  it('drops an answer that arrives after another consumer was chosen', async () => {
    const log = useConsumerLogStore();
    const slow = deferred<{ clientId: string; lines: string[] }>();
    engine.on('consumerLog', (request) => {
      const { clientId } = request as { clientId: string };
      return clientId === 'inventory-1' ? slow.promise : { clientId, lines: ['second'] };
    });
    const first = log.open('inventory-1');
    await log.open('inventory-2');
    slow.resolve({ clientId: 'inventory-1', lines: ['first'] });
    await first;
    expect(log.clientId).toBe('inventory-2');
    expect(log.lines).toEqual(['second']);
  });

  it("shows the engine's refusal", async () => {
    const log = useConsumerLogStore();
    engine.on('consumerLog', () => {
      throw refusal('INVALID_REQUEST', "No in-app consumer with client.id 'x'.", 42);
    });
    await log.open('x');
    expect(log.error).toEqual({ errorName: 'INVALID_REQUEST', message: "No in-app consumer with client.id 'x'." });
  });
});
