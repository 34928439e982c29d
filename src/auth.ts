import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { GatewayConfig } from './config.js';
import { GatewayError } from './errors.js';

export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** Who is calling: the token's subject and scopes, or everything when authentication is off. */
export interface Caller {
  subject: string | null;
  scopes: ReadonlySet<Scope>;
  /** A valid token was presented. */
  authenticated: boolean;
  /** Authentication is off: every scope is granted. */
  open: boolean;
  /**
   * When the token stops being honoured (ms since the epoch): its exp, or its iat plus the
   * longest lifetime allowed (JWT_MAX_LIFETIME_SECONDS), whichever comes first; subscriptions
   * end then. Null only when authentication is off.
   */
  expiresAt: number | null;
}

/**
 * Where an operation arrived from, the same shape whatever carried it: every admission rule
 * reads this, never a transport's own objects, so a rule written once holds on every transport.
 */
export interface Arrival {
  /** `http`: POST, GET and server-sent events (SSE is HTTP); `websocket`: the graphql-ws protocol. */
  transport: 'http' | 'websocket';
  /** The client's address: the peer, or (TRUST_PROXY) the address the proxy in front reports. */
  address: string;
  /** The bearer credentials as presented: the Authorization header, or graphql-ws' connection_init payload. */
  authorization: string | null;
  /** The browser origin that sent it (the Origin header), when a browser did. */
  origin: string | null;
  /** The host the client addressed (the Host header). */
  host: string | null;
  /** An EventSource's Last-Event-ID: where a reconnecting SSE stream resumes. */
  lastEventId: string | null;
  /** A mutation's consistency token the client sends back (X-Consistency-Token, or graphql-ws' payload): read what it wrote. */
  consistencyToken: string | null;
}

/**
 * Who an operation counts against in the per-client limits (operations at once, open
 * subscriptions): the token's subject when authenticated, else the client address.
 */
export function clientKey(caller: Caller, arrival: Arrival): string {
  return caller.authenticated && caller.subject ? `sub:${caller.subject}` : `addr:${arrival.address}`;
}

const VERIFIED_TOKENS = 1000;
/** Also bounds how long a key rotation (JWKS) takes to reach a cached token. */
const VERIFIED_FOR_MS = 5 * 60_000;

const OPEN: Caller = { subject: null, scopes: new Set(SCOPES), authenticated: false, open: true, expiresAt: null };
const ANONYMOUS: Caller = { subject: null, scopes: new Set(), authenticated: false, open: false, expiresAt: null };

function unauthenticated(message: string): GatewayError {
  return new GatewayError('UNAUTHENTICATED', message, { http: { status: 401 } });
}

/**
 * Bearer JWTs, verified with jose: HS256 with JWT_SECRET, or RS256/ES256 keys from JWKS_URL.
 * The algorithm list is fixed, so an `alg: none` or otherwise unexpected token is refused.
 * `scope` is the OAuth2-style space-separated list; unknown scopes are ignored. No token lives
 * longer than `maxTokenLifetimeSeconds` (see lifetimeEnd).
 */
export type Authenticator = (authorization: string | null) => Promise<Caller>;

export function createAuthenticator(auth: GatewayConfig['auth']): Authenticator {
  if (!auth.jwtSecret && !auth.jwksUrl) return async () => OPEN;
  const key: Uint8Array | JWTVerifyGetKey = auth.jwtSecret ? new TextEncoder().encode(auth.jwtSecret) : createRemoteJWKSet(new URL(auth.jwksUrl!));
  const algorithms = auth.jwtSecret ? ['HS256'] : ['RS256', 'ES256'];
  // A client sends the same token with every request: verifying it once (until it expires)
  // saves a signature check per request. Bounded, oldest out first.
  const verified = new Map<string, { caller: Caller; expiresAt: number }>();
  return async (authorization) => {
    if (!authorization) return ANONYMOUS;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.caller;
    try {
      const { payload } = await jwtVerify(token, key as Uint8Array, { algorithms });
      const expiresAt = lifetimeEnd(payload, auth.maxTokenLifetimeSeconds);
      const granted = typeof payload.scope === 'string' ? payload.scope.split(/\s+/) : [];
      const caller: Caller = {
        subject: typeof payload.sub === 'string' ? payload.sub : null,
        scopes: new Set(SCOPES.filter((scope) => granted.includes(scope))),
        authenticated: true,
        open: false,
        expiresAt,
      };
      if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!);
      verified.set(token, { caller, expiresAt: Math.min(Date.now() + VERIFIED_FOR_MS, expiresAt) });
      return caller;
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(expired ? 'the token has expired: get a new one' : 'the token is not valid: bad signature, algorithm or claims');
    }
  };
}

/**
 * When a verified token stops being honoured: at its `exp`, and at most `maxSeconds` after its
 * `iat`. A token without `iat` whose `exp` lies further ahead than that, or with neither claim,
 * would live longer than allowed (or for ever) and is refused.
 */
function lifetimeEnd(payload: { exp?: number; iat?: number }, maxSeconds: number): number {
  const now = Date.now();
  const maxMs = maxSeconds * 1000;
  const exp = payload.exp === undefined ? Infinity : payload.exp * 1000;
  if (payload.iat !== undefined) {
    const end = Math.min(exp, Math.min(payload.iat * 1000, now) + maxMs);
    if (end <= now) throw unauthenticated(`the token was issued more than ${maxSeconds} s ago, the longest a token is honoured here (JWT_MAX_LIFETIME_SECONDS): get a new one`);
    return end;
  }
  if (exp === Infinity) throw unauthenticated('the token has neither an expiry (exp) nor an issue time (iat): tokens must say how long they live');
  if (exp > now + maxMs) {
    throw unauthenticated(`the token expires more than ${maxSeconds} s from now and has no issue time (iat); tokens may live at most ${maxSeconds} s here (JWT_MAX_LIFETIME_SECONDS)`);
  }
  return exp;
}

/** An HS256 token for local use (`npm run db -- mint-token`). */
export async function mintToken(secret: string, { subject, scopes, ttlSeconds }: { subject: string; scopes: Scope[]; ttlSeconds: number }): Promise<string> {
  return new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** What a scope-auth refusal becomes: UNAUTHENTICATED without a token, FORBIDDEN naming the scope with one. */
export function refusal(caller: Caller, field: string, scope: string | undefined): GatewayError {
  if (!caller.authenticated && !caller.open) {
    return unauthenticated(`\`${field}\` needs a bearer token (Authorization: Bearer <jwt>) with the "${scope ?? 'read'}" scope`);
  }
  return new GatewayError('FORBIDDEN', `\`${field}\` needs the "${scope ?? 'required'}" scope, which the token does not grant`, {
    requiredScope: scope,
    http: { status: 403 },
  });
}
