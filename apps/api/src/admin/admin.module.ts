import { Module } from '@nestjs/common';
import { DetachedRebuild } from './detached-rebuild.js';
import { ProjectionsController } from './projections.controller.js';

/** Operating the system: the read models' generations and their rebuild. */
@Module({ controllers: [ProjectionsController], providers: [DetachedRebuild] })
export class AdminModule {}
