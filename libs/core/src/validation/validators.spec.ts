import 'reflect-metadata';
import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { InvalidInputError } from '../errors';
import { flattenValidationErrors } from '../http/validation';
import {
  IsCalendarDate,
  IsIdNumberInput,
  IsMonth,
  IsNotBlank,
  IsOffsetDateTime,
  IsRegionCode,
  IsTimeOfDay,
  isOffsetDateTime,
  uuidParam,
} from './validators';

class Sample {
  @IsOptional()
  @IsOffsetDateTime()
  at?: unknown;

  @IsOptional()
  @IsCalendarDate()
  date?: unknown;

  @IsOptional()
  @IsTimeOfDay()
  time?: unknown;

  @IsOptional()
  @IsMonth()
  month?: unknown;

  @IsOptional()
  @IsNotBlank()
  name?: unknown;

  @IsOptional()
  @IsRegionCode()
  regionCode?: unknown;

  @IsOptional()
  @IsIdNumberInput()
  idNumber?: unknown;
}

const problems = (body: Record<string, unknown>): string[] =>
  flattenValidationErrors(validateSync(plainToInstance(Sample, body)));

describe('shared validators', () => {
  it('accept what the contract writes', () => {
    expect(problems({ at: '2026-12-01T09:00:00+08:00', date: '2028-02-29', time: '24:00', month: '2026-12' })).toEqual(
      [],
    );
    expect(problems({ at: '2026-12-01T01:00:00.123Z' })).toEqual([]);
    expect(problems({ name: ' 王 ', regionCode: '620422100', idNumber: ' 62042219450101001x ' })).toEqual([]);
  });

  it('name each offending field with its reason', () => {
    expect(problems({ at: '2026-12-01 09:00', date: '2026-02-30', time: '9:00', month: '2026-13' })).toEqual([
      'at: must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T09:00:00+08:00',
      'date: must be a real date YYYY-MM-DD',
      'time: must be a time of day HH:MM',
      'month: must be a month YYYY-MM',
    ]);
    expect(problems({ at: 42, date: 20261201 })).toHaveLength(2);
    expect(problems({ name: '  ', regionCode: '62042', idNumber: '6204221945010100' })).toEqual([
      'name: must not be blank',
      'regionCode: must be a region code (6 to 12 digits)',
      'idNumber: must be all 18 characters: 17 digits followed by a digit or X',
    ]);
  });

  it('refuse an instant without offset, or on a day that does not exist', () => {
    for (const bad of ['2026-12-01T09:00:00', '2026-12-01', '2026-02-30T09:00:00+08:00', '2026-12-01T25:00:00Z']) {
      expect(isOffsetDateTime(bad)).toBe(false);
    }
  });

  it('uuidParam: a malformed path id is a 400 naming the parameter', async () => {
    const meta: ArgumentMetadata = { type: 'param', data: 'facilityId' };
    const id = '0b6c8f5e-3a51-4d1f-9a53-2f0f4c6e8d11';
    await expect(uuidParam('facilityId').transform(id, meta)).resolves.toBe(id);
    const error = await uuidParam('facilityId')
      .transform('not-a-uuid', meta)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).not.toBeInstanceOf(BadRequestException);
    expect((error as InvalidInputError).message).toBe('facilityId: must be a UUID');
  });
});
