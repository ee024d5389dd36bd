import { runServiceProcess } from '@tauliah/core';
import { credentialsService } from './index.ts';

await runServiceProcess(credentialsService);
