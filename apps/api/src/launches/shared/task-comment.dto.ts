import { ApiProperty, ApiSchema, IntersectionType, PickType } from '@nestjs/swagger';
import { MAX_COMMENT_CHARACTERS } from '#launch';
import { instant, integer, uuid } from '../../http/openapi/schema-fields.js';
import { ActorDto, CommandAnswerDto } from './launch-views.dto.js';

@ApiSchema({ name: 'CommentAuthor', description: 'The principal who wrote the comment' })
export class CommentAuthorDto extends PickType(ActorDto, ['id', 'name', 'role'] as const) {}

const TEXT = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_COMMENT_CHARACTERS,
  description: 'As recorded: NFC, trimmed, line breaks as LF',
  example: 'Booked the EMEA session for Tuesday.',
} as const;

@ApiSchema({ name: 'TaskComment', description: 'A comment on a task, as recorded by its TaskCommented event' })
export class TaskCommentDto {
  @ApiProperty(uuid())
  commentId!: string;

  @ApiProperty(uuid())
  launchId!: string;

  @ApiProperty(uuid())
  taskId!: string;

  @ApiProperty(TEXT)
  text!: string;

  @ApiProperty({ type: CommentAuthorDto })
  author!: CommentAuthorDto;

  @ApiProperty(instant('When it was written'))
  at!: string;

  @ApiProperty(integer(0, 'The launch revision of its TaskCommented event'))
  revision!: number;
}

@ApiSchema({ name: 'CommentAnswer', description: 'A launch command answer with the comment recorded' })
export class CommentAnswerDto extends IntersectionType(CommandAnswerDto, PickType(TaskCommentDto, ['commentId', 'text', 'author', 'at'] as const)) {}
