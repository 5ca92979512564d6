import { describe, expect, it } from 'vitest';
import { mockToolCall, toolNamedIn, type MockToolTurn } from './mock-tools.ts';

const OFFERED = ['Agent', 'Bash', 'get_weather', 'apply-patch'];

function turn(overrides: Partial<MockToolTurn>): MockToolTurn {
  return {
    offered: OFFERED,
    choice: 'auto',
    userText: 'Say hello',
    endsWithToolResult: false,
    ...overrides,
  };
}

describe('mockToolCall', () => {
  it('answers in text when tools are only offered', () => {
    expect(mockToolCall(turn({}))).toBeUndefined();
  });

  it('calls the tool the user names', () => {
    expect(mockToolCall(turn({ userText: 'What is the weather? Use get_weather.' }))).toBe(
      'get_weather',
    );
    expect(mockToolCall(turn({ userText: 'run apply-patch now' }))).toBe('apply-patch');
  });

  it('calls the tool named first when the user names several', () => {
    expect(mockToolCall(turn({ userText: 'get_weather, then Bash' }))).toBe('get_weather');
  });

  it('ignores names inside longer words and in other letter cases', () => {
    expect(mockToolCall(turn({ userText: 'Agents and get_weather_now, bash' }))).toBeUndefined();
  });

  it('ignores tools named only inside system reminders', () => {
    const userText =
      '<system-reminder>\nAvailable agent types for the Agent tool:\n- Explore\n</system-reminder>' +
      '<system-reminder>Use Bash for shell commands</system-reminder>Say hello';
    expect(mockToolCall(turn({ userText }))).toBeUndefined();
    expect(mockToolCall(turn({ userText: `${userText} with Bash` }))).toBe('Bash');
  });

  it('answers a tool result in text unless a tool is forced', () => {
    const afterResult = turn({ userText: 'Use get_weather', endsWithToolResult: true });
    expect(mockToolCall(afterResult)).toBeUndefined();
    expect(mockToolCall({ ...afterResult, choice: 'required' })).toBe('get_weather');
    expect(mockToolCall({ ...afterResult, choice: { name: 'Bash' } })).toBe('Bash');
  });

  it('calls a forced tool: the named one, else the user-named one, else the first offered', () => {
    expect(mockToolCall(turn({ choice: { name: 'Bash' } }))).toBe('Bash');
    expect(mockToolCall(turn({ choice: 'required', userText: 'with Bash' }))).toBe('Bash');
    expect(mockToolCall(turn({ choice: 'required' }))).toBe('Agent');
  });

  it('calls nothing with `none` or without tools', () => {
    expect(mockToolCall(turn({ choice: 'none', userText: 'Use Bash' }))).toBeUndefined();
    expect(mockToolCall(turn({ offered: [], choice: 'required' }))).toBeUndefined();
  });
});

describe('toolNamedIn', () => {
  it('finds a name at the start, the end, or beside punctuation', () => {
    expect(toolNamedIn('Bash', OFFERED)).toBe('Bash');
    expect(toolNamedIn('call (get_weather)', OFFERED)).toBe('get_weather');
    expect(toolNamedIn('`Agent`?', OFFERED)).toBe('Agent');
  });
});
