/** Command lines as the material writes them: prompts, paths, .sh/.bat, quoting, continuation. */
import { describe, expect, it } from 'vitest';
import { CommandLineError, parseCommandLine } from '../../../engine/console/command-line.js';

describe('parseCommandLine', () => {
  it.each([
    ['kafka-topics --list', 'kafka-topics'],
    ['kafka-topics.sh --list', 'kafka-topics'],
    ['./kafka-topics --list', 'kafka-topics'],
    ['bin/kafka-topics.sh --list', 'kafka-topics'],
    ['$ bin/kafka-topics.sh --list', 'kafka-topics'],
    ['bin\\windows\\kafka-topics.bat --list', 'kafka-topics'],
    ['windows\\kafka-topics.bat --list', 'kafka-topics'],
    ['D:\\kafka\\kafka_2.13-2.6.0>bin\\windows\\kafka-topics.bat --list', 'kafka-topics'],
    ['D:\\kafka\\kafka_2.13-2.6.0\\bin>windows\\kafka-topics.bat --list', 'kafka-topics'],
  ])('%s → %s --list', (line, tool) => {
    const parsed = parseCommandLine(line);
    expect(parsed.tool).toBe(tool);
    expect(parsed.args).toEqual(['--list']);
  });

  it('Windows lines keep backslashes and split on spaces (the material\'s "localhost:2181, localhost:2182")', () => {
    const parsed = parseCommandLine('D:\\kafka\\kafka_2.13-2.6.0\\bin>windows\\kafka-topics.bat --zookeeper localhost:2181, localhost:2182, localhost:2183 --topic kafkaTest --describe');
    expect(parsed).toEqual({
      tool: 'kafka-topics',
      written: 'windows\\kafka-topics.bat',
      args: ['--zookeeper', 'localhost:2181,', 'localhost:2182,', 'localhost:2183', '--topic', 'kafkaTest', '--describe'],
      windows: true,
    });
    expect(parseCommandLine('bin\\windows\\kafka-console-producer.bat --topic "my topic" --property "parse.key=true"').args).toEqual(['--topic', 'my topic', '--property', 'parse.key=true']);
  });

  it('POSIX quoting: single quotes literal, double quotes with escapes, backslash escapes, continuation', () => {
    expect(parseCommandLine(`kafka-console-producer --property "parse.key=true" --property 'key.separator=:'`).args).toEqual(['--property', 'parse.key=true', '--property', 'key.separator=:']);
    expect(parseCommandLine(`kafka-topics --topic "a\\"b" --config 'x=\\n' --x a\\ b`).args).toEqual(['--topic', 'a"b', '--config', 'x=\\n', '--x', 'a b']);
    expect(parseCommandLine('kafka-topics --bootstrap-server localhost:9092 \\\n  --list').args).toEqual(['--bootstrap-server', 'localhost:9092', '--list']);
    expect(parseCommandLine('kafka-topics --topic ""').args).toEqual(['--topic', '']);
    expect(parseCommandLine('kafka-topics --topic "test\\.topic"').args).toEqual(['--topic', 'test\\.topic']);
    expect(parseCommandLine('kafka-topics --topic test\\.topic').args).toEqual(['--topic', 'test.topic']);
  });

  it('an empty line has no tool; an unclosed quote is bash\'s syntax error', () => {
    expect(parseCommandLine('   ').tool).toBeNull();
    expect(parseCommandLine('$ ').tool).toBeNull();
    expect(() => parseCommandLine('kafka-topics --topic "x')).toThrow(new CommandLineError('unexpected EOF while looking for matching `"\''));
  });
});
