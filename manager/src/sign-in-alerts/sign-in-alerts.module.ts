import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { AuthModule } from '../auth/auth.module';
import { SprayAlertsService } from './spray-alerts.service';

/** Alerts about attacks on the manager's own sign-in (a password spray), for the analysts. */
@Module({ imports: [AuthModule, AlertsModule], providers: [SprayAlertsService] })
export class SignInAlertsModule {}
