import { describe, expect, it } from 'vitest';
import { defaultAgentDataDir, loadTrayConfig, readFlag, TrayConfigError } from './tray-config';

const electronArgv = ['/opt/electron/electron', '/opt/wardwatch/tray'];

describe('loadTrayConfig', () => {
  it('takes --agent-data-dir from argv over the environment', () => {
    const config = loadTrayConfig({
      argv: [...electronArgv, '--agent-data-dir', '/srv/ww'],
      env: { WARDWATCH_AGENT_DATA_DIR: '/from/env' },
      platform: 'linux',
    });
    expect(config.agentDataDir).toBe('/srv/ww');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('accepts --agent-data-dir=<dir> and --logs-dir', () => {
    const config = loadTrayConfig({
      argv: [...electronArgv, '--agent-data-dir=/a', '--logs-dir=/l'],
      env: {},
      platform: 'linux',
    });
    expect(config).toMatchObject({ agentDataDir: '/a', logsDir: '/l' });
  });

  it('falls back to the environment, then to the per-OS default', () => {
    expect(
      loadTrayConfig({ argv: electronArgv, env: { WARDWATCH_AGENT_DATA_DIR: '/from/env' }, platform: 'linux' })
        .agentDataDir,
    ).toBe('/from/env');
    const config = loadTrayConfig({ argv: electronArgv, env: { WARDWATCH_AGENT_DATA_DIR: '' }, platform: 'linux' });
    expect(config).toMatchObject({ agentDataDir: '/var/lib/wardwatch', logsDir: null });
  });

  it('refuses a flag without a value instead of silently using the default', () => {
    expect(() => loadTrayConfig({ argv: [...electronArgv, '--agent-data-dir'], env: {}, platform: 'linux' })).toThrow(
      TrayConfigError,
    );
    expect(() => readFlag(['--agent-data-dir', '--logs-dir', '/x'], '--agent-data-dir')).toThrow(
      '--agent-data-dir needs a folder after it',
    );
    expect(() => readFlag(['--agent-data-dir='], '--agent-data-dir')).toThrow(TrayConfigError);
  });
});

describe('defaultAgentDataDir', () => {
  it('is the service data folder of each OS', () => {
    expect(defaultAgentDataDir('linux', {})).toBe('/var/lib/wardwatch');
    expect(defaultAgentDataDir('darwin', {})).toBe('/Library/Application Support/WardWatch');
    expect(defaultAgentDataDir('win32', { ProgramData: 'D:\\PD' })).toBe('D:\\PD\\WardWatch');
    expect(defaultAgentDataDir('win32', {})).toBe('C:\\ProgramData\\WardWatch');
  });
});
