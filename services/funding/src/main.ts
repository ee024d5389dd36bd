import { runServiceProcess } from '@tauliah/core';
import { fundingService } from './index.ts';

await runServiceProcess(fundingService);
