import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ListQueryDto, ROLES, type Role } from '@care/core';

const PASSWORD_DOC = 'At least 10 characters, not the username';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 64)
  username: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  password: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'manager.huishi' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{3,64}$/, { message: 'must be 3–64 letters, digits, dots, dashes or underscores' })
  username: string;

  @ApiProperty({ minLength: 10, maxLength: 200, description: PASSWORD_DOC })
  @IsString()
  @Length(10, 200)
  password: string;

  @ApiProperty({ enum: ROLES, description: '`integration` is a machine user (the one-key call gateway)' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ type: [String], description: 'For managers: the facilities they look after (must exist)' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  facilityIds?: string[];

  @ApiPropertyOptional({ description: 'For caregivers: the caregiver record this login acts for (must exist)' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  caregiverId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({
    enum: ROLES,
    description:
      'A role change ends the user’s tokens. Leaving manager drops its facilities, leaving caregiver its caregiverId.',
  })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    type: [String],
    description: 'Managers only: replaces the list (at least one, each must exist)',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  facilityIds?: string[];

  @ApiPropertyOptional({ description: 'Caregiver users only: the caregiver record (must exist)', nullable: true })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsString()
  @MaxLength(36)
  caregiverId?: string | null;

  @ApiPropertyOptional({ description: 'false deactivates the user and ends its tokens; true reactivates it' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class SetPasswordDto {
  @ApiProperty({ minLength: 10, maxLength: 200, description: `${PASSWORD_DOC}. Ends the user’s tokens.` })
  @IsString()
  @Length(10, 200)
  password: string;
}

export class ChangeOwnPasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  currentPassword: string;

  @ApiProperty({
    minLength: 10,
    maxLength: 200,
    description: `${PASSWORD_DOC}. Ends every token of the user, this one too.`,
  })
  @IsString()
  @Length(10, 200)
  newPassword: string;
}

export class ListUsersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'Part of the username' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  q?: string;

  @ApiPropertyOptional({ description: 'Only active (true) or inactive (false) users' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

/** A user as the users endpoints answer it. */
export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: [String] }) facilityIds: string[];
  @ApiProperty({ type: String, nullable: true }) caregiverId: string | null;
  @ApiProperty({ description: 'Extra field: false for a deactivated user' }) active: boolean;
  @ApiProperty({ description: 'Extra field: when the user was created', example: '2026-12-01T09:00:00+08:00' })
  createdAt: string;
}

export class UserPageView {
  @ApiProperty({ type: [UserView] }) items: UserView[];
  @ApiProperty() total: number;
}

export class PasswordChangedView {
  @ApiProperty({ description: 'A fresh token: the one used for this request has ended' })
  accessToken: string;
}
