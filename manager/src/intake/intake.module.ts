import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { IntakeCounters } from './intake.counters';
import { IntakeService } from './intake.service';

/** What one agent may send: per-agent event rate and storage quota, and the counts of refusals. */
@Module({
  imports: [EventsModule],
  providers: [IntakeCounters, IntakeService],
  exports: [IntakeCounters, IntakeService],
})
export class IntakeModule {}
