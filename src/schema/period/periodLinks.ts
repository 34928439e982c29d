import { builder } from '../builder.js';
import { ContentRef } from '../content/content.js';
import { CrawlEffectivenessRef } from '../crawl/crawl.js';
import { TemporalEventRef } from '../event/event.js';
import { registerNeeds } from '../common/selection.js';
import { AnalysisPeriodRef, periodOf } from './period.js';

// The rows that point at a period get their `period` from the period domain, read as queries read
// periods (one statement per page of them; times to the microsecond). Defined here, where the
// period type is: the event, crawl and content domains do not depend on it.

registerNeeds('TemporalEvent', { period: ['periodId'] });
registerNeeds('CrawlEffectiveness', { period: ['periodId'] });

builder.prismaObjectFields(TemporalEventRef, (t) => ({
  period: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The period it was recorded in; null while pending (recorded between cycles: the entity’s next period takes it).',
    resolve: (event, _args, ctx, info) => (event.periodId ? periodOf(event.periodId, ctx, info) : null),
  }),
}));

builder.prismaObjectFields(CrawlEffectivenessRef, (t) => ({
  period: t.field({ type: AnalysisPeriodRef, description: 'The period it belongs to.', resolve: (record, _args, ctx, info) => periodOf(record.periodId, ctx, info) }),
}));

builder.prismaObjectFields(ContentRef, (t) => ({
  analysisPeriod: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The period that analysed it.',
    resolve: (content, _args, ctx, info) => (content.analysisPeriodId ? periodOf(content.analysisPeriodId, ctx, info) : null),
  }),
}));
