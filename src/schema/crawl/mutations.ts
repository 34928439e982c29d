import { recordCrawlEffectiveness } from '../../services/eventWrites.js';
import { builder } from '../builder.js';
import { parseUuid } from '../common/args.js';
import { crawlEffectivenessFields, toCrawlInput } from './inputs.js';

const RecordCrawlEffectivenessInput = builder.inputType('RecordCrawlEffectivenessInput', {
  description: 'How one crawl query worked in one period.',
  fields: (t) => ({
    periodId: t.id({ required: true, description: 'UUID of the period.' }),
    ...crawlEffectivenessFields(t),
  }),
});

builder.mutationFields((t) => ({
  recordCrawlEffectiveness: t.prismaField({
    extensions: { scope: 'write' },
    type: 'CrawlEffectiveness',
    // Nullable: when a later mutation of the same request fails, this one's committed result still shows.
    nullable: true,
    description: 'Record a crawl query’s effectiveness; counts must nest (highValue ≤ relevant ≤ total), scores lie in 0..1.',
    args: { input: t.arg({ type: RecordCrawlEffectivenessInput, required: true, description: 'The record.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await recordCrawlEffectiveness(ctx.pool, { ...toCrawlInput(input, ''), periodId: parseUuid(input.periodId, 'periodId') });
      return ctx.prisma.crawlEffectiveness.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
