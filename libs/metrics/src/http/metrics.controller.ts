import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@care/core';
import { MetricsService } from '../metrics.service';
import { MetricsAccessGuard } from './metrics-access.guard';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  // @Public lets an allowed address through without a token; MetricsAccessGuard decides (admin or METRICS_ALLOW)
  @Public()
  @UseGuards(MetricsAccessGuard)
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (text format): admins, or clients from METRICS_ALLOW' })
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
