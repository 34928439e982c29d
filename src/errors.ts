import { GraphQLError } from 'graphql';

/**
 * The error codes clients see in `extensions.code`. Each message says what to fix; nothing
 * here carries SQL, a stack trace or a driver message.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'TIMEOUT'
  | 'PERIOD_OVERLAP'
  | 'DUPLICATE_PERIOD_NUMBER'
  | 'ENTITY_NOT_FOUND'
  | 'INVALID_STATE'
  | 'INVALID_SCORE';

export class GatewayError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}

export function badUserInput(message: string, argument?: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message, argument ? { argument } : {});
}

export function notFound(message: string, details: Record<string, unknown> = {}): GatewayError {
  return new GatewayError('NOT_FOUND', message, details);
}
