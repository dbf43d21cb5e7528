import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser, AuditRead, uuidParam } from '@care/core';
import {
  BedRecommendationsQueryDto,
  CancelWaitlistEntryDto,
  CreateOfferDto,
  CreateWaitlistEntryDto,
  ListWaitlistQueryDto,
  MismatchQueryDto,
} from '../dto/waitlist.dto';
import { BedRecommendationsService } from '../bed-recommendations.service';
import { MismatchReportService } from '../mismatch-report.service';
import { WaitlistEntriesService } from '../waitlist-entries.service';
import { WaitlistOffersService } from '../waitlist-offers.service';

@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('facilities/:facilityId')
export class WaitlistController {
  constructor(
    private readonly entries: WaitlistEntriesService,
    private readonly offers: WaitlistOffersService,
    private readonly bedRecommendations: BedRecommendationsService,
    private readonly mismatchReport: MismatchReportService,
  ) {}

  @Post('waitlist')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: 'Put a resident on the facility’s waitlist; 409 ALREADY_WAITLISTED, 409 RESIDENT_ALREADY_ADMITTED',
    description:
      'The entry shows its priority tier (1–4, shared/spec/domain.md §3), position and the reasons that placed it.',
  })
  add(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Body() dto: CreateWaitlistEntryDto,
  ) {
    return this.entries.add(user, facilityId, dto);
  }

  @AuditRead()
  @Get('waitlist')
  @Roles('admin', 'bureau', 'manager')
  @ApiOperation({
    summary:
      'The waitlist in priority order (tier, then worse level, older, earlier application), each with priority and reasons',
  })
  list(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Query() query: ListWaitlistQueryDto,
  ) {
    return this.entries.list(user, facilityId, query);
  }

  @AuditRead()
  @Get('waitlist/:entryId')
  @Roles('admin', 'bureau', 'manager')
  get(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Param('entryId', uuidParam('entryId')) entryId: string,
  ) {
    return this.entries.get(user, facilityId, entryId);
  }

  @Post('waitlist/:entryId/cancel')
  @HttpCode(200)
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Take an entry off the waitlist; an offered bed is released' })
  cancel(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Param('entryId', uuidParam('entryId')) entryId: string,
    @Body() dto: CancelWaitlistEntryDto,
  ) {
    return this.entries.cancel(user, facilityId, entryId, dto);
  }

  @Post('waitlist/offers')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary:
      'Offer a freed bed to the best-placed fitting waitlist entry: the bed is reserved for that resident until the expiry',
    description:
      'Admission of that resident to the bed succeeds; anyone else gets 409 BED_OCCUPIED until the reservation expires or is released. ' +
      '409 NO_FITTING_ENTRY when no waiting resident fits the bed; 409 BED_OCCUPIED / BED_UNAVAILABLE for a bed that is not free.',
  })
  offer(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Body() dto: CreateOfferDto,
  ) {
    return this.offers.offer(user, facilityId, dto);
  }

  @AuditRead()
  @Get('bed-recommendations')
  @Roles('admin', 'bureau', 'manager')
  @ApiOperation({ summary: 'Vacant beds that fit the resident, best first, each with a reasons list' })
  recommendations(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Query() query: BedRecommendationsQueryDto,
  ) {
    return this.bedRecommendations.recommendations(user, facilityId, query.residentId);
  }

  @AuditRead()
  @Get('nursing-bed-mismatches')
  @Roles('admin', 'bureau', 'manager')
  @ApiOperation({
    summary: 'Residents whose bed type does not match their valid ability level (or who have no valid assessment)',
  })
  mismatches(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Query() query: MismatchQueryDto,
  ) {
    return this.mismatchReport.mismatches(user, facilityId, query);
  }
}
