import { Module } from '@nestjs/common';
import { ProjectionsController } from './projections.controller.js';

/** Operating the system: the read models' generations and their rebuild. */
@Module({ controllers: [ProjectionsController] })
export class AdminModule {}
