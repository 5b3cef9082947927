/**
 * Consumer groups as the engine last reported them (the `groups` stream), the in-app consumers
 * (the listConsumers query, re-read whenever the groups change), which group the learner looks at,
 * and the commands of the Groups view: start and stop a consumer, delete a group. The snapshot is
 * replaced whole on every event (at most 10 a second), so the view derives from one consistent
 * picture; getters order and count, components only render.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CommandRequest } from '../../../engine/api/contract';
import type { ConsumerStatus, GroupDetail, GroupsSnapshot } from '../../../engine/api/groups-dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import {
  describeRows,
  groupSummary,
  isConsumerStopped,
  lagBars,
  memberRows,
  naturalCompare,
  rebalanceViews,
  totalLag,
  type DescribeRow,
  type GroupSummary,
  type LagBar,
  type MemberRow,
  type RebalanceView,
} from '../domain/groups';

export type StopMode = 'close' | 'crash';

export const useGroupsStore = defineStore('groups', () => {
  const snapshot = shallowRef<GroupsSnapshot | null>(null);
  const consumers = shallowRef<readonly ConsumerStatus[]>([]);
  /** Why the last listConsumers failed, or null. */
  const consumersError = shallowRef<ShownError | null>(null);
  const selectedGroupId = ref<string | null>(null);
  let unsubscribe: (() => void) | null = null;
  let consumersReading = false;
  let consumersStale = false;

  const groups = computed<GroupDetail[]>(() => [...(snapshot.value?.groups ?? [])].sort((a, b) => naturalCompare(a.groupId, b.groupId)));
  const summaries = computed<GroupSummary[]>(() => groups.value.map(groupSummary));
  const nowMs = computed(() => snapshot.value?.nowMs ?? null);
  /** The chosen group; without a choice (or once it is gone) the first listed one. */
  const selectedGroup = computed<GroupDetail | null>(() => groups.value.find((g) => g.groupId === selectedGroupId.value) ?? groups.value[0] ?? null);
  const selectedRows = computed<DescribeRow[]>(() => (selectedGroup.value === null ? [] : describeRows(selectedGroup.value)));
  const selectedLagBars = computed<Map<string, LagBar | null>>(() => lagBars(selectedRows.value));
  const selectedLag = computed(() => (selectedGroup.value === null ? null : totalLag(selectedGroup.value)));
  const selectedMembers = computed<MemberRow[]>(() => (selectedGroup.value === null ? [] : memberRows(selectedGroup.value, consumers.value)));
  const selectedRebalances = computed<RebalanceView[]>(() =>
    selectedGroup.value === null ? [] : rebalanceViews(selectedGroup.value, nowMs.value ?? selectedGroup.value.rebalances.at(-1)?.startedAtMs ?? 0),
  );
  const memberCount = computed(() => groups.value.reduce((sum, g) => sum + g.members.length, 0));
  const runningClientIds = computed(() => consumers.value.filter((c) => !isConsumerStopped(c)).map((c) => c.clientId));

  function selectGroup(groupId: string): void {
    selectedGroupId.value = groupId;
  }

  /** Re-reads the in-app consumers; calls while one read travels are folded into one more read. */
  async function refreshConsumers(): Promise<void> {
    if (consumersReading) {
      consumersStale = true;
      return;
    }
    consumersReading = true;
    try {
      do {
        consumersStale = false;
        try {
          const answer = await engineApi().query('listConsumers', {});
          consumers.value = answer.consumers;
          consumersError.value = null;
        } catch (caught) {
          consumersError.value = shownError(caught);
        }
      } while (consumersStale);
    } finally {
      consumersReading = false;
    }
  }

  function setSnapshot(next: GroupsSnapshot): void {
    snapshot.value = next;
    // Members join and leave with the groups; the consumers' own states follow them.
    if (unsubscribe !== null) void refreshConsumers();
  }

  /** Starts following the engine's groups stream; the current snapshot arrives at once. */
  function start(): void {
    unsubscribe?.();
    unsubscribe = engineApi().subscribe('groups', setSnapshot);
    void refreshConsumers();
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  function upsertConsumer(status: ConsumerStatus): void {
    const others = consumers.value.filter((c) => c.clientId !== status.clientId);
    consumers.value = [...others, status];
  }

  /** Starts an in-app consumer; the learner then looks at its group. Refusals pass on untouched. */
  async function startConsumer(request: CommandRequest<'startConsumer'>): Promise<ConsumerStatus> {
    const status = await engineApi().command('startConsumer', request);
    upsertConsumer(status);
    selectedGroupId.value = status.groupId;
    return status;
  }

  /** close: commits and sends LeaveGroup; crash: nothing more is sent, the group waits for session.timeout.ms. */
  async function stopConsumer(clientId: string, mode: StopMode): Promise<ConsumerStatus> {
    const status = await engineApi().command('stopConsumer', { clientId, mode });
    upsertConsumer(status);
    return status;
  }

  /** Deletes an empty group (kafka-consumer-groups --delete); it leaves the list at once. */
  async function deleteGroup(groupId: string): Promise<void> {
    await engineApi().command('deleteGroup', { groupId });
    const current = snapshot.value;
    if (current !== null) snapshot.value = { ...current, groups: current.groups.filter((g) => g.groupId !== groupId) };
  }

  return {
    snapshot,
    consumers,
    consumersError,
    selectedGroupId,
    groups,
    summaries,
    nowMs,
    selectedGroup,
    selectedRows,
    selectedLagBars,
    selectedLag,
    selectedMembers,
    selectedRebalances,
    memberCount,
    runningClientIds,
    selectGroup,
    refreshConsumers,
    setSnapshot,
    start,
    stop,
    startConsumer,
    stopConsumer,
    deleteGroup,
  };
});
