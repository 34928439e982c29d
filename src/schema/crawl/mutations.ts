import { recordCrawlEffectiveness } from '../../services/crawl/crawlWrites.js';
import { builder } from '../builder.js';
import { parseUuid } from '../common/args.js';
import { CrawlEffectivenessRef, crawlEffectivenessFields } from './crawl.js';
import { crawlEffectivenessInputFields, toCrawlInput } from './inputs.js';

const RecordCrawlEffectivenessInput = builder.inputType('RecordCrawlEffectivenessInput', {
  description: 'How one crawl query worked in one period.',
  fields: (t) => ({
    periodId: t.id({ required: true, description: 'UUID of the period.' }),
    ...crawlEffectivenessInputFields(t),
  }),
});

builder.mutationFields((t) => ({
  recordCrawlEffectiveness: t.field({
    extensions: { scope: 'write' },
    type: CrawlEffectivenessRef,
    // Nullable: when a later mutation of the same request fails, this one's committed result still shows.
    nullable: true,
    description: 'Record a crawl query’s effectiveness; counts must nest (highValue ≤ relevant ≤ total), scores lie in 0..1.',
    args: { input: t.arg({ type: RecordCrawlEffectivenessInput, required: true, description: 'The record.' }) },
    resolve: async (_root, { input }, ctx, info) => {
      const { id } = await recordCrawlEffectiveness(ctx.pool, { ...toCrawlInput(input, ''), periodId: parseUuid(input.periodId, 'periodId') });
      return ctx.loaders.crawlEffectivenessById.load({ item: id, args: { fields: crawlEffectivenessFields(info) } });
    },
  }),
}));
