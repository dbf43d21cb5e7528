import { join } from 'node:path';
import { RuleTester, type Rule } from 'eslint';
import tseslint from 'typescript-eslint';
import { ROOT } from './source-scan';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the plugin is a CommonJS script (eslint.config.mjs)
const boundaries = require('../../scripts/eslint-care-imports.js') as { rules: { imports: Rule.RuleModule } };

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const at = (path: string) => join(ROOT, path);
const lib = at('libs/beds/src/beds.service.ts');

/** care/imports: another library only through @care/<name> (or a subpath exported on purpose), no app from a library. */
tester.run('care/imports', boundaries.rules.imports, {
  valid: [
    { filename: lib, code: "import { JobQueue } from '@care/core';" },
    { filename: lib, code: "import { maskIdNumber } from '@care/core/privacy';" },
    { filename: lib, code: "import { Bed } from './bed.entity';" },
    { filename: at('libs/beds/src/waitlist/x.ts'), code: "import { Bed } from '../bed.entity';" },
    { filename: at('libs/beds/test/beds.e2e-spec.ts'), code: "import { buildApp } from '@test/apps';" },
    {
      filename: at('libs/dispatch/src/rules/kpis.spec.ts'),
      code: "import { g } from '../../test/support/county-day.generator';",
    },
    { filename: at('test/e2e/x.e2e-spec.ts'), code: "import { createApiApp } from '../../apps/api/src/bootstrap';" },
    { filename: at('test/e2e/x.e2e-spec.ts'), code: "import { seedCountyDay } from '@care/dispatch/test-support';" },
    { filename: at('apps/api/src/api.modules.ts'), code: "import { BedsModule } from '@care/beds';" },
    // a pure sub-module imports its own files (and packages); its specs are tests like any other
    { filename: at('libs/core/src/geo/index.ts'), code: "export * from './travel-time';" },
    { filename: at('libs/testing/src/xlsx.ts'), code: "import { unzipSync } from 'fflate';" },
    // the statistics outbox: owners import stats' sub-module, which imports only @care/core
    { filename: lib, code: "import { bedStatsChangeStatement } from '@care/stats/outbox';" },
    { filename: at('libs/stats/src/outbox/stats-change.ts'), code: "import { stmt } from '@care/core';" },
    { filename: at('libs/stats/src/outbox/index.ts'), code: "export * from './stats-change';" },
    {
      filename: at('libs/core/src/geo/travel-time.spec.ts'),
      code: "import { AppConfig } from '../config/app-config';",
    },
  ],
  invalid: [
    // a pure sub-module brings nothing of its library's Nest side, nor another library, along
    {
      filename: at('libs/care-orders/src/rules/service-catalogue.ts'),
      code: "import { CareOrder } from '../entities/care-order.entity';",
      errors: [{ messageId: 'subModule' }],
    },
    {
      filename: at('libs/care-orders/src/rules/service-catalogue.ts'),
      code: "import { RegionsService } from '@care/regions';",
      errors: [{ messageId: 'subModule' }],
    },
    {
      filename: at('libs/stats/src/outbox/stats-change.ts'),
      code: "import { CoverageService } from '../coverage.service';",
      errors: [{ messageId: 'subModule' }],
    },
    {
      filename: at('libs/stats/src/outbox/stats-change.ts'),
      code: "import { countyMonth } from '@care/stats';",
      errors: [{ messageId: 'subModule' }],
    },
    {
      filename: at('libs/stats/src/outbox/stats-change.ts'),
      code: "import { Bed } from '@care/beds';",
      errors: [{ messageId: 'subModule' }],
    },
    {
      filename: at('libs/core/src/geo/travel-time.ts'),
      code: "import { countyDate } from '../time/county-time';",
      errors: [{ messageId: 'subModule' }],
    },
    {
      filename: at('libs/core/src/geo/travel-time.ts'),
      code: "import { countyDate } from '@care/core/time';",
      errors: [{ messageId: 'subModule' }],
    },
    {
      filename: lib,
      code: "import { JobQueue } from '../../core/src/queue/job-queue.service';",
      errors: [{ messageId: 'relative' }],
    },
    {
      filename: lib,
      code: "import { AppConfig } from '@care/core/src/config/app-config';",
      errors: [{ messageId: 'deep' }],
    },
    {
      filename: lib,
      code: "import { createApiApp } from '../../../apps/api/src/bootstrap';",
      errors: [{ messageId: 'app' }],
    },
    { filename: lib, code: "import { main } from 'apps/api/src/main';", errors: [{ messageId: 'app' }] },
    { filename: lib, code: "export * from '../../residents/src';", errors: [{ messageId: 'relative' }] },
    {
      filename: lib,
      code: "const m = require('../../residents/src/residents.service');",
      errors: [{ messageId: 'relative' }],
    },
    { filename: lib, code: "import { buildApp } from '@test/apps';", errors: [{ messageId: 'testTree' }] },
    {
      filename: lib,
      code: "import { seedCountyDay } from '@care/dispatch/test-support';",
      errors: [{ messageId: 'testTree' }],
    },
    {
      filename: at('libs/beds/test/beds.e2e-spec.ts'),
      code: "import { createApiApp } from '../../../apps/api/src/bootstrap';",
      errors: [{ messageId: 'app' }],
    },
    {
      filename: at('test/e2e/x.e2e-spec.ts'),
      code: "import { g } from '../../libs/care-orders/test/support';",
      errors: [{ messageId: 'relative' }],
    },
  ],
});
