import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser, AuditRead, uuidParam } from '@care/core';
import { CreateResidentDto, ListResidentsQueryDto, UpdateResidentDto } from '../dto/resident.dto';
import { ResidentsService } from '../residents.service';

@ApiTags('residents')
@ApiBearerAuth()
@Controller('residents')
export class ResidentsController {
  constructor(private readonly residents: ResidentsService) {}

  @Post()
  // the bureau writes facilities and regions only; RESIDENT_EXISTS is answered only to these registering roles
  @Roles('admin', 'manager', 'dispatcher')
  @ApiOperation({
    summary: 'Register a resident; 409 RESIDENT_EXISTS for a number already registered',
    description:
      'The ID number is validated (GB 11643-1999), stored encrypted with a keyed hash, and never returned: responses carry idNumberMasked. ' +
      "A manager's resident is linked to its facility (facilityId, or its only facility); a dispatcher registers residents living at home.",
  })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateResidentDto) {
    return this.residents.create(user, dto);
  }

  @AuditRead({ residents: true })
  @Get()
  @Roles('admin', 'bureau', 'manager', 'dispatcher')
  @ApiOperation({
    summary: 'List residents: a manager sees those linked to its facilities, a dispatcher those living at home',
    description:
      'With idNumber=<all 18 characters>: the desk look-up (exact match, that one resident or none); a manager reaches ' +
      'a resident beyond its facilities only this way, and may then waitlist or admit it by the same idNumber.',
  })
  list(@CurrentUser() user: AuthUser, @Query() query: ListResidentsQueryDto) {
    return query.idNumber !== undefined
      ? this.residents.lookUpByIdNumber(user, query.idNumber)
      : this.residents.list(user, query);
  }

  @AuditRead({ residents: true })
  @Get(':id')
  @Roles('admin', 'bureau', 'manager', 'dispatcher')
  @ApiOperation({ summary: 'One resident, with age and latestAssessment' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.residents.get(user, id);
  }

  @Patch(':id')
  @Roles('admin', 'manager', 'dispatcher')
  @ApiOperation({ summary: 'Change name, address, phone, coordinates, categories or living arrangement' })
  update(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateResidentDto) {
    return this.residents.update(user, id, dto);
  }
}
