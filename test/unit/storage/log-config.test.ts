import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, logConfigFromTopicConfigs } from '../../../engine/storage/log-config.js';

describe('LogConfig', () => {
  it('has Kafka\'s defaults', () => {
    expect(DEFAULT_LOG_CONFIG).toMatchObject({
      segmentBytes: 1_073_741_824,
      segmentMs: 604_800_000,
      segmentIndexBytes: 10_485_760,
      indexIntervalBytes: 4096,
      retentionMs: 604_800_000,
      retentionBytes: -1,
      cleanupDelete: true,
      cleanupCompact: false,
      deleteRetentionMs: 86_400_000,
      minCleanableDirtyRatio: 0.5,
      maxMessageBytes: 1_048_588,
      messageTimestampType: 'CreateTime',
    });
  });

  it('reads topic config overrides by Kafka\'s names', () => {
    const config = logConfigFromTopicConfigs({
      'cleanup.policy': 'compact,delete',
      'segment.bytes': '1048576',
      'retention.ms': '-1',
      'flush.messages': '1',
      'message.timestamp.type': 'LogAppendTime',
      'unclean.leader.election.enable': 'true',
    });
    expect(config).toMatchObject({ cleanupCompact: true, cleanupDelete: true, segmentBytes: 1_048_576, retentionMs: -1, flushMessages: 1, messageTimestampType: 'LogAppendTime' });
    expect(logConfigFromTopicConfigs({ 'cleanup.policy': 'compact' })).toMatchObject({ cleanupCompact: true, cleanupDelete: false });
  });

  it('refuses values the log cannot work with', () => {
    expect(() => logConfigFromTopicConfigs({ 'segment.bytes': 'lots' })).toThrow(/Invalid value lots for configuration segment.bytes/);
    expect(() => logConfigFromTopicConfigs({ 'message.timestamp.type': 'Now' })).toThrow(/message.timestamp.type/);
    expect(() => logConfigFromTopicConfigs({ 'segment.bytes': '10' })).toThrow(/segment.bytes/);
  });
});
