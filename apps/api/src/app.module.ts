import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AdminModule } from './admin/admin.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import type { AppConfig } from './config/app-config.js';
import { DepartmentsModule } from './departments/departments.module.js';
import { HealthModule } from './health/health.module.js';
import { ProblemFilter } from './http/problem.filter.js';
import { StoresModule } from './infrastructure/stores.module.js';
import { LaunchesModule } from './launches/launches.module.js';
import { OidcModule } from './oidc/oidc.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { LedgerWitnessModule } from './ledger/ledger-witness.module.js';
import { PrincipalsModule } from './principals/principals.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { AccessRecordsModule } from './infrastructure/access-records.module.js';
import { CalendarModule } from './calendar/calendar.module.js';
import { DepartmentSettingsModule } from './departments/settings/department-settings.module.js';
import { DigestsModule } from './digests/digests.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        StoresModule.forRoot(config),
        OidcModule,
        LedgerModule,
        HealthModule,
        PrincipalsModule,
        CatalogModule,
        LaunchesModule,
        DepartmentsModule,
        TasksModule,
        ReportsModule,
        DashboardModule,
        AdminModule,
        WebhooksModule,
        LedgerWitnessModule,
        AccessRecordsModule,
        CalendarModule,
        DepartmentSettingsModule,
        DigestsModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
