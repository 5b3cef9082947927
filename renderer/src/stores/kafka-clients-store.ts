/**
 * The Kafka listeners, the real clients connected to them, the listeners' security protocol and
 * the SCRAM users, read every few seconds while the Cluster view shows them (clients come and go between
 * requests: there is no event for them) and again at once when the engine says the security or a
 * user changed (the kafkaSecurity event — a change from the console shows without waiting).
 * Answers older than a later read are dropped. The commands throw the engine's refusal for the
 * panel to show where the learner acted.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { KafkaListenersDto } from '../../../engine/api/kafka-dto';
import { engineApi } from '../api/api-provider';
import { shownError, type ShownError } from '../domain/engine-error';
import type { ScramMechanism, SecurityProtocol } from '../domain/kafka-security';

export const useKafkaClientsStore = defineStore('kafkaClients', () => {
  const state = shallowRef<KafkaListenersDto | null>(null);
  const error = shallowRef<ShownError | null>(null);
  let reading = 0;

  async function refresh(): Promise<void> {
    const mine = ++reading;
    try {
      const answer = await engineApi().query('kafkaListeners', {});
      if (mine !== reading) return;
      state.value = answer;
      error.value = null;
    } catch (caught) {
      if (mine === reading) error.value = shownError(caught);
    }
  }

  /** Folds a users answer in at once (reads on their way are older: they are dropped), then reads the rest again. */
  function foldUsers(users: KafkaListenersDto['users']): void {
    reading++;
    if (state.value !== null) state.value = { ...state.value, users };
  }

  /** setKafkaSecurity; the listeners' new protocol and mechanisms are read again. */
  async function setSecurity(protocol: SecurityProtocol): Promise<void> {
    const answer = await engineApi().command('setKafkaSecurity', { protocol });
    reading++;
    if (state.value !== null) state.value = { ...state.value, securityProtocol: answer.protocol, saslMechanisms: answer.protocol === 'SASL_PLAINTEXT' ? ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] : [] };
    await refresh();
  }

  async function addUser(user: string, mechanism: ScramMechanism, password: string): Promise<void> {
    const answer = await engineApi().command('upsertScramUser', { user, mechanism, password });
    foldUsers(answer.users);
  }

  async function deleteUser(user: string, mechanism: ScramMechanism): Promise<void> {
    const answer = await engineApi().command('deleteScramUser', { user, mechanism });
    foldUsers(answer.users);
  }

  /** Reads again whenever the engine says the security or a user changed; returns the unsubscribe. */
  function watch(): () => void {
    return engineApi().subscribe('kafkaSecurity', () => void refresh());
  }

  return { state, error, refresh, setSecurity, addUser, deleteUser, watch };
});
