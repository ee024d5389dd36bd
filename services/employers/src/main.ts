import { runServiceProcess } from '@tauliah/core';
import { employersService } from './index.ts';

await runServiceProcess(employersService);
