import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { Type } from 'class-transformer';
import { ListQueryDto, IsRegionCode } from '@care/core';
import { RESIDENT_CATEGORIES } from '@care/residents';
import {
  ASSESSMENT_REASONS,
  ITEM_KEYS,
  ITEMS,
  LEGACY_LEVELS,
  RISK_EVENT_KEYS,
  validateConditions,
  validateItems,
  type AssessmentReason,
} from '../rules';

/** ISO-8601 date-time with an offset or Z, or a county date YYYY-MM-DD (read as 00:00 county time). */
export const DATE_OR_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** Runs the rules' item validation inside the DTO, so one 400 names every offending field of the body. */
function IsAssessmentItems(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAssessmentItems',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => validateItems(value, '').ok,
        defaultMessage: (args) => {
          const r = validateItems(args?.value, '');
          return r.ok ? '' : r.issues.map((i) => i.message).join('; ');
        },
      },
    });
}

function IsAssessmentConditions(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAssessmentConditions',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => value !== null && validateConditions(value, '').ok,
        defaultMessage: (args) => {
          if (args?.value === null) return 'must be an object';
          const r = validateConditions(args?.value, '');
          return r.ok ? '' : r.issues.map((i) => i.message).join('; ');
        },
      },
    });
}

const itemsSchema: ApiPropertyOptions = {
  type: 'object',
  description: 'One integer per item of GB/T 42195-2022 (GET /assessments/items gives ranges and wording).',
  properties: Object.fromEntries(
    ITEM_KEYS.map((k) => [k, { type: 'integer', minimum: 0, maximum: ITEMS[k].max, description: ITEMS[k].zh }]),
  ),
  additionalProperties: false,
};

const conditionsSchema: ApiPropertyOptions = {
  type: 'object',
  properties: {
    coma: { type: 'boolean', description: '昏迷 → level 4' },
    dementia: { type: 'boolean', description: '痴呆 F00–F03 → one level worse' },
    mentalDisorder: { type: 'boolean', description: '其他精神和行为障碍 F04–F99 → one level worse' },
    riskEvents30d: {
      type: 'object',
      description: 'care-risk events in the last 30 days, 0–3 each (3 = 3 or more); 2 or more in all → one level worse',
      properties: Object.fromEntries(RISK_EVENT_KEYS.map((k) => [k, { type: 'integer', minimum: 0, maximum: 3 }])),
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

export class CreateAssessmentDto {
  @ApiProperty({
    example: '2026-03-15T10:00:00+08:00',
    description: 'ISO-8601 with offset, or YYYY-MM-DD (county midnight); not in the future',
  })
  @IsString()
  @Matches(DATE_OR_DATETIME, {
    message: 'must be an ISO-8601 date-time with offset (2026-03-15T10:00:00+08:00) or a date YYYY-MM-DD',
  })
  assessedAt: string;

  @ApiProperty({
    type: [String],
    example: ['王医生', '李护士'],
    description: 'the assessors who sign (2 by default, configurable)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  @Matches(/\S/, { each: true, message: 'each assessor must have a name' })
  assessors: string[];

  @ApiProperty({ enum: ASSESSMENT_REASONS })
  @IsIn(ASSESSMENT_REASONS)
  reason: AssessmentReason;

  @ApiProperty(itemsSchema)
  @IsAssessmentItems()
  items: Record<string, number>;

  @ApiPropertyOptional(conditionsSchema)
  @ValidateIf((_o: object, v: unknown) => v !== undefined)
  @IsAssessmentConditions()
  conditions?: Record<string, unknown>;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ImportLegacyAssessmentDto {
  @ApiProperty({ example: '2021-06-01', description: 'when the MZ/T 039-2013 assessment was made' })
  @IsString()
  @Matches(DATE_OR_DATETIME, { message: 'must be an ISO-8601 date-time with offset or a date YYYY-MM-DD' })
  assessedAt: string;

  @ApiProperty({
    enum: LEGACY_LEVELS.map((l) => l.name),
    description: 'the legacy level by name: 能力完好/轻度失能/中度失能/重度失能',
  })
  @IsString()
  @Length(1, 32)
  levelName: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 3, description: 'the legacy level number; must agree with the name' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3)
  legacyLevel?: number;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  assessors?: string[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export const DUE_STATUSES = ['expired', 'due', 'legacy', 'none'] as const;
export type DueStatus = (typeof DUE_STATUSES)[number];

export class DueAssessmentsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 365,
    description: 'what "due" means, in days before validUntil (default from config: 30)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  withinDays?: number;

  @ApiPropertyOptional({
    enum: DUE_STATUSES,
    description:
      'expired | due | legacy (latest is an imported MZ/T 039-2013 result) | none (never assessed). Default: expired, due and legacy.',
  })
  @IsOptional()
  @IsIn(DUE_STATUSES)
  status?: DueStatus;

  @ApiPropertyOptional({ example: '620422100' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ enum: ['home', 'institution'] })
  @IsOptional()
  @IsIn(['home', 'institution'])
  livingArrangement?: 'home' | 'institution';

  @ApiPropertyOptional({ enum: RESIDENT_CATEGORIES })
  @IsOptional()
  @IsIn(RESIDENT_CATEGORIES)
  category?: string;
}
