import type { Type } from '@nestjs/common';
import { AuthModule } from '@care/auth';
import { RegionsModule } from '@care/regions';

/**
 * The domain HTTP modules the api composes, in one list. Each domain library exposes one module
 * and the api only puts them together.
 */
export const API_DOMAIN_MODULES: Type[] = [AuthModule, RegionsModule];
