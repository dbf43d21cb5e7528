import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { ROLES, type Role } from '@care/core';

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

  @ApiProperty({ minLength: 8 })
  @IsString()
  @Length(8, 200)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ type: [String], description: 'For managers: the facilities they look after' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true })
  facilityIds?: string[];

  @ApiPropertyOptional({ description: 'For caregivers: the caregiver record this login acts for' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  caregiverId?: string;
}
