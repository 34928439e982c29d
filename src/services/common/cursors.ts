import { parseTimestamp } from '../../db/timestamp.js';
import { badUserInput } from '../../errors.js';
import { isUuid } from './validation.js';

/**
 * The one cursor codec of the API's lists. A keyset cursor is the sort key of the last row a
 * page showed, so a page boundary stays put when rows are inserted before it: opaque to clients
 * (base64url JSON), and checked part by part on the way back, so a foreign or forged cursor is
 * refused (BAD_USER_INPUT naming the argument) before any SQL runs.
 */

/** What one part of a cursor holds; a timestamp travels as its exact text. */
export type CursorPart = 'int' | 'number' | 'string' | 'boolean' | 'uuid' | 'timestamp';

type PartValue<P extends CursorPart> = P extends 'int' | 'number' ? number : P extends 'boolean' ? boolean : string;
export type CursorValues<Parts extends readonly CursorPart[]> = { -readonly [K in keyof Parts]: PartValue<Parts[K]> };

export interface CursorCodec<Parts extends readonly CursorPart[]> {
  encode(values: CursorValues<Parts>): string;
  /** The cursor's parts, or BAD_USER_INPUT naming `argument` when it is not a cursor of this list. */
  decode(cursor: string, argument?: string): CursorValues<Parts>;
}

const VALID: Record<CursorPart, (value: unknown) => boolean> = {
  int: (value) => Number.isSafeInteger(value),
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  uuid: (value) => typeof value === 'string' && isUuid(value),
  timestamp: (value) => typeof value === 'string' && parseTimestamp(value) !== null,
};

/** The codec of one list's cursors: `list` names the list in errors, `parts` are its sort key's types. */
export function cursorCodec<const Parts extends readonly CursorPart[]>(list: string, parts: Parts): CursorCodec<Parts> {
  return {
    encode: (values) => Buffer.from(JSON.stringify(values)).toString('base64url'),
    decode: (cursor, argument = 'after') => {
      let values: unknown = null;
      try {
        values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        // refused below
      }
      if (!Array.isArray(values) || values.length !== parts.length || !parts.every((part, i) => VALID[part](values[i]))) {
        throw badUserInput(`\`${argument}\` is not a cursor of ${list} returned by this API`, argument);
      }
      return values as CursorValues<Parts>;
    },
  };
}
