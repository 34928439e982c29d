import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { temporaryFile } from './helpers/files.js';

describe('configuration', () => {
  it('has a default for every setting', () => {
    const config = loadConfig({});
    expect(config.server).toMatchObject({ port: 4000, host: '0.0.0.0', maxRequestBodyBytes: 2 * 1024 * 1024 });
    expect(config.database).toMatchObject({ poolSize: 10, preparedStatements: true, acquireTimeoutMs: 5000, statementTimeoutMs: 5000 });
    expect(config.limits).toMatchObject({ clientMaxConcurrency: 5, clientMaxQueued: 100 });
    expect(loadConfig({ DATABASE_POOL_SIZE: '3' }).limits.clientMaxConcurrency).toBe(2);
  });

  it('names every invalid value, a line each, and what it must be', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_POOL_SIZE: '0', METRICS_ENABLED: 'perhaps', JWT_SECRET: 'short', MAX_REQUEST_BODY_BYTES: '12' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.split('\n')).toEqual([
      'JWT_SECRET must be at least 32 characters (HS256 needs a 256-bit key)',
      'DATABASE_POOL_SIZE must be an integer between 1 and 500, got "0"',
      'PORT must be an integer between 0 and 65535, got "eighty"',
      'MAX_REQUEST_BODY_BYTES must be an integer between 1024 and 9007199254740991, got "12"',
      'METRICS_ENABLED must be true or false, got "perhaps"',
    ]);
  });

  it('reads the JWT secret from JWT_SECRET_FILE, and names a file it cannot read', () => {
    const file = temporaryFile('jwt', `${'s'.repeat(40)}\n`);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET_FILE: file }).auth.jwtSecret).toBe('s'.repeat(40));
    expect(() => loadConfig({ JWT_SECRET_FILE: join(file, '..', 'missing') })).toThrow(/JWT_SECRET_FILE .*missing cannot be read/);
  });

  it('reads the values it is given', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_PREPARED_STATEMENTS: 'false', MAX_REQUEST_BODY_BYTES: '4096' });
    expect(config.server.port).toBe(8080);
    expect(config.database.preparedStatements).toBe(false);
    expect(config.server.maxRequestBodyBytes).toBe(4096);
  });
});
