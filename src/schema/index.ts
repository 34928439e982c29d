import { builder } from './builder.js';
import './common/root.js';
import './common/enums.js';
import './period/period.js';
import './period/queries.js';
import './period/mutations.js';
import './content/content.js';
import './event/event.js';
import './event/mutations.js';
import './crawl/crawl.js';
import './crawl/mutations.js';
import './task/task.js';
import './analytics/analytics.js';
import './entity/entity.js';
import './entity/topicsAndUsers.js';
import './entity/entityRows.js';

export const schema = builder.toSchema({ sortSchema: false });
