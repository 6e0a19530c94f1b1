import { Module } from '@nestjs/common';
import { ACCESS_RECORDS, type AccessRecords } from '../infrastructure/access-records.module.js';
import { CalendarFeedsController } from './calendar-feeds.controller.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';
import { CALENDAR_FEED_STORE, createCalendarFeedStore } from './storage/calendar-feed-store.js';

@Module({
  controllers: [CalendarFeedsController],
  providers: [
    { provide: CALENDAR_FEED_STORE, useFactory: (records: AccessRecords) => createCalendarFeedStore(records), inject: [ACCESS_RECORDS] },
    CalendarFeedsService,
  ],
})
export class CalendarModule {}
