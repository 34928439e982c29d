#!/usr/bin/env node
import { runDbCli } from './commands.js';

process.exitCode = await runDbCli(process.argv.slice(2));
