import { Module } from '@nestjs/common';
import { FleetModelStore } from './fleet-model.store';

/** The fleet model in the data folder, sent to agents that lack it. */
@Module({ providers: [FleetModelStore], exports: [FleetModelStore] })
export class FleetModelModule {}
