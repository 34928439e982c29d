import { builder } from './builder.js';
import './common/root.js';
import './common/enums.js';
import './entity/entity.js';
import './period/period.js';
import './period/entityFields.js';
import './period/queries.js';
import './period/mutations.js';
import './content/content.js';
import './event/event.js';
import './event/mutations.js';
import './crawl/crawl.js';
import './crawl/mutations.js';
import './task/task.js';
import './analytics/analytics.js';
import './analytics/entityFields.js';
import './entity/topicsAndUsers.js';

export const schema = builder.toSchema({ sortSchema: false });
