import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

/** `backfill`: what lets a command that sets a target date give one in the past. */
export const BackfillField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'boolean',
      default: false,
      description: 'Allow a target date before today (UTC), to record a launch after the fact; without it such a date is 400',
    }),
    IsOptional(),
    IsBoolean(),
  );
