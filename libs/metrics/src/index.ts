export { MetricsModule } from './metrics.module';
export { MetricsService, SCRAPE_PROBE_TIMEOUT_MS } from './metrics.service';
export { addressAllowList } from './rules/address-allow-list';
