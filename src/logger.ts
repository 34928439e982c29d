import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON lines (request id, operation, duration, status on request lines), or the same
 * lines made readable (pino-pretty) when the output is a terminal: a person at a console, not
 * a log collector.
 */
export function createLogger(level: string, { pretty = process.stdout.isTTY === true } = {}): Logger {
  return pino({
    level,
    base: { service: 'crosshot-gateway' },
    ...(pretty && level !== 'silent' ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  });
}
