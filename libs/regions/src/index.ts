export * from './region.entity';
export * from './regions.module';
export * from './regions.service';
export { COUNTY, TOWNSHIPS, loadRegions } from './reference-data';
