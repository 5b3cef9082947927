/**
 * What the Kafka clients panel says about the listeners' security: the client settings a real
 * client needs for SASL_PLAINTEXT (kafka-python, kcat/librdkafka, a Java client's properties), and
 * the add-user form's checks before anything is sent. The password is never known here after it is
 * sent: the settings show a placeholder for it.
 */
import type { UiMessage } from './messages';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SASL_PLAINTEXT'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type ScramMechanism = (typeof SCRAM_MECHANISMS)[number];

/** The contract's bounds (engine/api/kafka-dto.ts), checked here so the form says what is wrong before sending. */
const USER_MAX_LENGTH = 255;
const PASSWORD_MAX_LENGTH = 1024;
/** Stands for the user's password in the settings shown. */
export const PASSWORD_PLACEHOLDER = '<password>';

export interface ClientSettings {
  readonly python: string;
  readonly kcat: string;
  readonly java: string;
}

/** A Python string literal (double-quoted, backslashes and quotes escaped). */
function pyString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** One shell word: as is when safe, else single-quoted. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9._:,=@%+/-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** The settings of a client logging in as `user` with `mechanism` (SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN) over SASL_PLAINTEXT. */
export function clientSettings(bootstrap: string, mechanism: string, user: string): ClientSettings {
  const python = [
    'KafkaProducer(',
    `    bootstrap_servers=${pyString(bootstrap)},`,
    '    security_protocol="SASL_PLAINTEXT",',
    `    sasl_mechanism=${pyString(mechanism)},`,
    `    sasl_plain_username=${pyString(user)},`,
    `    sasl_plain_password=${pyString(PASSWORD_PLACEHOLDER)},`,
    ')',
  ].join('\n');
  const kcat = [
    `kcat -b ${shellWord(bootstrap)} -L`,
    '  -X security.protocol=SASL_PLAINTEXT',
    `  -X sasl.mechanisms=${shellWord(mechanism)}`,
    `  -X ${shellWord(`sasl.username=${user}`)}`,
    `  -X ${shellWord(`sasl.password=${PASSWORD_PLACEHOLDER}`)}`,
  ].join(' \\\n');
  const module = mechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
  const jaasQuote = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  const java = [
    `bootstrap.servers=${bootstrap}`,
    'security.protocol=SASL_PLAINTEXT',
    `sasl.mechanism=${mechanism}`,
    `sasl.jaas.config=${module} required username=${jaasQuote(user)} password=${jaasQuote(PASSWORD_PLACEHOLDER)};`,
  ].join('\n');
  return { python, kcat, java };
}

export interface AddUserForm {
  user: string;
  mechanism: ScramMechanism;
  password: string;
}

export type AddUserField = 'user' | 'password';

export function emptyAddUserForm(): AddUserForm {
  return { user: '', mechanism: 'SCRAM-SHA-512', password: '' };
}

export type AddUserCheck =
  | { readonly ok: true; readonly request: { readonly user: string; readonly mechanism: ScramMechanism; readonly password: string } }
  | { readonly ok: false; readonly problems: Partial<Record<AddUserField, UiMessage>> };

/** The form's checks, in the contract's terms: a user name (no control characters) and a password, both non-empty and bounded. */
export function validateAddUser(form: AddUserForm): AddUserCheck {
  const problems: Partial<Record<AddUserField, UiMessage>> = {};
  const user = form.user.trim();
  if (user === '') problems.user = { key: 'cluster.kafka.security.userRequired' };
  else if (user.length > USER_MAX_LENGTH) problems.user = { key: 'cluster.kafka.security.userTooLong', params: { max: USER_MAX_LENGTH } };
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(user)) problems.user = { key: 'cluster.kafka.security.userControl' };
  if (form.password === '') problems.password = { key: 'cluster.kafka.security.passwordRequired' };
  else if (form.password.length > PASSWORD_MAX_LENGTH) problems.password = { key: 'cluster.kafka.security.passwordTooLong', params: { max: PASSWORD_MAX_LENGTH } };
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, request: { user, mechanism: form.mechanism, password: form.password } };
}
