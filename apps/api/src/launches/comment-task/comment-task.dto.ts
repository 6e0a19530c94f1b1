import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { COMMENT_TEXT_RULE, commentText, MAX_COMMENT_CHARACTERS } from '#launch';

/** As the domain records it: NFC, trimmed, 1–4,000 characters, no control characters but newline and tab. */
const IsCommentText = () =>
  ValidateBy({
    name: 'isCommentText',
    validator: { validate: (value: unknown) => commentText(value) !== null, defaultMessage: () => `$property must be ${COMMENT_TEXT_RULE}` },
  });

@ApiSchema({ name: 'CommentTaskRequest' })
export class CommentTaskDto {
  @ApiProperty({
    type: 'string',
    minLength: 1,
    maxLength: MAX_COMMENT_CHARACTERS,
    pattern: '\\S',
    description: `${COMMENT_TEXT_RULE} (CRLF is recorded as LF; stored as NFC)`,
    example: 'Booked the EMEA session for Tuesday.',
  })
  @IsCommentText()
  text!: string;
}
