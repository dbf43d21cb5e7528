import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNumber, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ListQueryDto } from '@care/core';

export class CreateServicePointDto {
  @ApiProperty({ example: '会师镇居家养老服务站' })
  @IsString()
  @Length(1, 128)
  name: string;

  @ApiProperty({ example: '620422100' })
  @IsString()
  @MaxLength(12)
  regionCode: string;

  @ApiProperty({ example: 35.6929 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ example: 105.0466 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng: number;
}

export class ListServicePointsQueryDto extends ListQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(12)
  regionCode?: string;
}
