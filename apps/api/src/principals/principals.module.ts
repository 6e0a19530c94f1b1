import { Module } from '@nestjs/common';
import { PrincipalsController } from './principals.controller.js';

@Module({ controllers: [PrincipalsController] })
export class PrincipalsModule {}
