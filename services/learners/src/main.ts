import { runServiceProcess } from '@tauliah/core';
import { learnersService } from './index.ts';

await runServiceProcess(learnersService);
