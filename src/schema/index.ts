import { builder } from './builder.js';
import './entity/topic.js';

export const schema = builder.toSchema({ sortSchema: false });
