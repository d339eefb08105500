import { Controller, Get } from '@nestjs/common';
import { Public } from '@tasking/auth';

@Controller('health')
export class HealthController {
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
