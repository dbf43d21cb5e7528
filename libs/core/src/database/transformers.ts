import type { ValueTransformer } from 'typeorm';

/** DECIMAL columns arrive from mysql2 as strings; coordinates are numbers in the domain. */
export const decimalNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? null : Number(value)),
};

/** TINYINT(1) as boolean. */
export const tinyBoolean: ValueTransformer = {
  to: (value: boolean | null | undefined) => (value === undefined || value === null ? value : value ? 1 : 0),
  from: (value: number | null) => (value === null ? null : value === 1 || (value as unknown) === '1'),
};
