import type { CrawlEffectivenessInput } from '../../services/crawl/crawlWrites.js';
import { builder, type InputFields } from '../builder.js';
import { parseUuid } from '../common/args.js';

/** The fields every crawl-effectiveness input shares; RecordCrawlEffectivenessInput adds the period. */
export const crawlEffectivenessInputFields = (t: InputFields) => ({
  platform: t.string({ required: true, description: 'Platform crawled (at most 16 characters).' }),
  query: t.string({ required: true, description: 'The crawl query.' }),
  totalFound: t.int({ required: false, description: 'Results found (default 0).' }),
  relevantCount: t.int({ required: false, description: 'Relevant results; at most totalFound.' }),
  highValueCount: t.int({ required: false, description: 'High-value results; at most relevantCount.' }),
  effectivenessScore: t.float({ required: false, description: 'Effectiveness, 0..1.' }),
  avgRelevance: t.float({ required: false, description: 'Mean relevance, 0..1.' }),
  coverageRatio: t.float({ required: false, description: 'Coverage, 0..1.' }),
  recommendations: t.string({ required: false, description: 'What to change about the query.' }),
  taskId: t.id({ required: false, description: 'A task that ran this query: linked to the record.' }),
});

export const PeriodCrawlEffectivenessInput = builder.inputType('PeriodCrawlEffectivenessInput', {
  description: 'How a crawl query of the analysis being recorded worked (RecordCrawlEffectivenessInput without periodId).',
  fields: crawlEffectivenessInputFields,
});

export function toCrawlInput<T extends { taskId?: string | number | null }>(args: T, field: string): Omit<T, 'taskId'> & { taskId: string | null } {
  return { ...args, taskId: args.taskId ? parseUuid(args.taskId, `${field}taskId`) : null };
}

export type { CrawlEffectivenessInput };
