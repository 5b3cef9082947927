/**
 * The "Add consumer" form's checks: what the contract accepts and what Java's consumer refuses at
 * start, caught before anything is sent; a valid form becomes exactly the startConsumer request.
 */
import { describe, expect, it } from 'vitest';
import { emptyAddConsumerForm, validateAddConsumer, type AddConsumerForm } from '../../../renderer/src/domain/groups-validation';

const context = { topics: ['orders', 'payments', '__consumer_offsets'], runningClientIds: ['inventory-1'] };

function form(overrides: Partial<AddConsumerForm> = {}): AddConsumerForm {
  return { ...emptyAddConsumerForm('inventory', ['orders']), ...overrides };
}

function problemsOf(f: AddConsumerForm) {
  const result = validateAddConsumer(f, context);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('validateAddConsumer', () => {
  it("sends only what was set; Kafka's defaults fill the rest", () => {
    expect(validateAddConsumer(form(), context)).toEqual({
      ok: true,
      request: { groupId: 'inventory', topics: ['orders'], autoOffsetReset: 'latest', enableAutoCommit: true, commitMode: 'auto', processingMsPerRecord: 0 },
    });
  });

  it('passes every field the learner set, numbers as numbers', () => {
    const result = validateAddConsumer(
      form({
        topics: ['orders', 'payments'],
        assignor: 'cooperative-sticky',
        autoOffsetReset: 'earliest',
        commitMode: 'before-processing',
        processingMsPerRecord: '12',
        groupInstanceId: 'inventory-a',
        clientId: 'inventory-9',
        maxPollRecords: '10',
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: '1000',
        maxPollIntervalMs: '60000',
        autoCommitIntervalMs: '0',
      }),
      context,
    );
    expect(result).toEqual({
      ok: true,
      request: {
        groupId: 'inventory',
        topics: ['orders', 'payments'],
        assignor: 'cooperative-sticky',
        autoOffsetReset: 'earliest',
        enableAutoCommit: false,
        commitMode: 'before-processing',
        processingMsPerRecord: 12,
        groupInstanceId: 'inventory-a',
        clientId: 'inventory-9',
        maxPollRecords: 10,
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: 1000,
        maxPollIntervalMs: 60_000,
        autoCommitIntervalMs: 0,
      },
    });
  });

  it('needs a group.id and at least one existing topic', () => {
    expect(problemsOf(form({ groupId: '' })).groupId).toEqual({ key: 'addConsumer.errors.groupIdEmpty' });
    expect(problemsOf(form({ groupId: '   ' })).groupId).toEqual({ key: 'addConsumer.errors.idBlank', params: { config: 'group.id' } });
    expect(problemsOf(form({ groupId: 'g'.repeat(256) })).groupId).toEqual({
      key: 'addConsumer.errors.idTooLong',
      params: { config: 'group.id', max: 255, length: 256 },
    });
    expect(problemsOf(form({ topics: [] })).topics).toEqual({ key: 'addConsumer.errors.topicsEmpty' });
    expect(problemsOf(form({ topics: ['orders', 'gone'] })).topics).toEqual({ key: 'addConsumer.errors.topicMissing', params: { topic: 'gone' } });
  });

  it('checks number ranges with the config names Kafka uses', () => {
    const problems = problemsOf(form({ maxPollRecords: '0', maxPollIntervalMs: 'soon', autoCommitIntervalMs: '-1', processingMsPerRecord: '-5' }));
    expect(problems.maxPollRecords).toEqual({ key: 'addConsumer.errors.numberRange', params: { config: 'max.poll.records', min: 1, max: 100_000 } });
    expect(problems.maxPollIntervalMs).toEqual({ key: 'addConsumer.errors.numberRange', params: { config: 'max.poll.interval.ms', min: 1, max: 2_147_483_647 } });
    expect(problems.autoCommitIntervalMs?.params).toMatchObject({ config: 'auto.commit.interval.ms', min: 0 });
    expect(problems.processingMsPerRecord).toEqual({ key: 'addConsumer.errors.processingRange', params: { max: 3_600_000 } });
    expect(problemsOf(form({ processingMsPerRecord: '2.5' })).processingMsPerRecord?.key).toBe('addConsumer.errors.processingRange');
    expect(validateAddConsumer(form({ processingMsPerRecord: '' }), context)).toMatchObject({ ok: true, request: { processingMsPerRecord: 0 } });
  });

  it("refuses heartbeat.interval.ms at or above session.timeout.ms, as Java's consumer does, defaults included", () => {
    expect(problemsOf(form({ heartbeatIntervalMs: '45000' })).heartbeatIntervalMs).toEqual({
      key: 'addConsumer.errors.heartbeatTooHigh',
      params: { heartbeat: 45_000, session: 45_000 },
    });
    expect(problemsOf(form({ sessionTimeoutMs: '2000' })).sessionTimeoutMs).toEqual({
      key: 'addConsumer.errors.heartbeatTooHigh',
      params: { heartbeat: 3_000, session: 2_000 },
    });
    expect(validateAddConsumer(form({ sessionTimeoutMs: '6000', heartbeatIntervalMs: '2000' }), context).ok).toBe(true);
  });

  it('refuses a client.id an in-app consumer already runs with', () => {
    expect(problemsOf(form({ clientId: 'inventory-1' })).clientId).toEqual({ key: 'addConsumer.errors.clientIdInUse', params: { clientId: 'inventory-1' } });
    expect(validateAddConsumer(form({ clientId: 'inventory-2' }), context).ok).toBe(true);
  });
});
