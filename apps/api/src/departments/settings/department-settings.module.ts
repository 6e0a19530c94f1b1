import { Module } from '@nestjs/common';
import { ACCESS_RECORDS, type AccessRecords } from '../../infrastructure/access-records.module.js';
import { DepartmentSettingsController } from './department-settings.controller.js';
import { createDepartmentSettingsStore, DEPARTMENT_SETTINGS_STORE } from './department-settings-store.js';

@Module({
  controllers: [DepartmentSettingsController],
  providers: [{ provide: DEPARTMENT_SETTINGS_STORE, useFactory: (records: AccessRecords) => createDepartmentSettingsStore(records), inject: [ACCESS_RECORDS] }],
  exports: [DEPARTMENT_SETTINGS_STORE],
})
export class DepartmentSettingsModule {}
