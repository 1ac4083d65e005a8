#!/usr/bin/env node
// The `fma` command: registers tsx's loader and hands over to the TypeScript CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
