import { runServiceProcess } from '@tauliah/core';
import { providersService } from './index.ts';

await runServiceProcess(providersService);
