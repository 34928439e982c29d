import { builder } from '../builder.js';

builder.prismaObject('Task', {
  description: 'A unit of crawl or analysis work dispatched to an agent.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    label: t.exposeString('label', { description: 'Kind of work, e.g. crawler:search.' }),
    status: t.exposeString('status', { description: 'pending, running, completed, failed, ...' }),
    priority: t.exposeInt('priority', { description: 'Higher runs first.' }),
    payload: t.expose('payload', { type: 'JSON', description: 'Task input.' }),
    assignedTo: t.exposeString('assignedTo', { nullable: true, description: 'Agent that took it.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, description: 'When it started.' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true, description: 'When it finished.' }),
    durationSeconds: t.exposeFloat('durationSeconds', { nullable: true, description: 'How long it ran.' }),
    error: t.exposeString('error', { nullable: true, description: 'Failure message.' }),
    result: t.expose('result', { type: 'JSON', nullable: true, description: 'Task output.' }),
    periodId: t.exposeID('periodId', { nullable: true, description: 'The period it belongs to.' }),
    effectivenessId: t.exposeID('effectivenessId', { nullable: true, description: 'Its crawl-effectiveness record.' }),
  }),
});

builder.prismaObject('ChatMessage', {
  description: 'A message of the operator chat about an entity.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Row id.' }),
    role: t.exposeString('role', { description: 'user, assistant or system.' }),
    content: t.exposeString('content', { description: 'Message text.' }),
    isArchived: t.exposeBoolean('isArchived', { description: 'Archived messages are hidden from the chat.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was sent.' }),
  }),
});
