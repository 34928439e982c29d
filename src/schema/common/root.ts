import { JSONResolver } from 'graphql-scalars';
import { builder } from '../builder.js';
import { DateTimeScalar } from './dateTime.js';

// The scalars, the root types and the field every connection shares.

builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('JSON', JSONResolver);

// Every connection has totalCount; each connection field says how to count its own rows.
builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'Number of items in the whole connection, across all pages.',
    resolve: (connection) => (typeof connection.totalCount === 'function' ? connection.totalCount() : connection.totalCount),
  }),
);

// Every query needs the read scope; each mutation names its own in `extensions.scope` (write,
// or admin for maintenance), checked once per operation by src/server/scopes.ts.
builder.queryType({ description: 'Read access to topics, tracked users and their analysis timelines.' });
builder.mutationType({ description: 'Writes of the analyst: each mutation is one transaction; rejected input writes nothing.' });
