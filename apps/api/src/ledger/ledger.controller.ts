import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Roles } from '../auth/auth.decorators.js';
import { ApiJsonAnswer } from '../http/openapi/api-contract.decorators.js';
import { LedgerService } from './ledger.service.js';
import { ApiLedgerExportAnswer, ApiLedgerProblems, ConsistencyProofDto, InclusionProofDto, LedgerPublicKeyDto, SignedTreeHeadDto } from './ledger-views.dto.js';

const treeIndex = (description: string) => [ApiProperty({ description, minimum: 0 }), Type(() => Number), IsInt(), Min(0), Max(Number.MAX_SAFE_INTEGER)];

const apply =
  (decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));

export class ConsistencyProofQuery {
  @apply(treeIndex("the older tree size (a receipt's treeSize)"))
  from!: number;

  @apply(treeIndex("the newer tree size, at most the latest signed head's"))
  to!: number;
}

export class InclusionProofQuery {
  @apply(treeIndex("the event's leaf (its leafIndex in the history)"))
  leafIndex!: number;

  @apply(treeIndex("the tree size the proof is for, at most the latest signed head's"))
  treeSize!: number;
}

@ApiTags('ledger')
@ApiBearerAuth()
@Roles('admin', 'auditor')
@Controller('v1/ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('key')
  @ApiOperation({ summary: "The server's Ed25519 public key, which signs the tree heads" })
  @ApiJsonAnswer(200, LedgerPublicKeyDto, 'OK')
  @ApiLedgerProblems()
  key() {
    return this.ledger.publicKey();
  }

  @Get('head')
  @ApiOperation({
    summary: 'The latest signed tree head (save it as a receipt)',
    description:
      'The signature (Ed25519, base64) covers the UTF-8 text "launch-control/ledger/head/v1\\n<treeSize>\\n<rootHash>\\n<timestamp>\\n<keyId>". rootHash is the RFC 9162 tree hash over the first treeSize events of the global log.',
  })
  @ApiJsonAnswer(200, SignedTreeHeadDto, 'OK')
  @ApiLedgerProblems()
  head() {
    return this.ledger.head();
  }

  @Get('proofs/consistency')
  @ApiOperation({ summary: 'RFC 9162 consistency proof: the tree of `to` events extends the tree of `from` events' })
  @ApiJsonAnswer(200, ConsistencyProofDto, 'OK')
  @ApiLedgerProblems(400)
  consistency(@Query() query: ConsistencyProofQuery) {
    return this.ledger.consistency(query.from, query.to);
  }

  @Get('proofs/inclusion')
  @ApiOperation({ summary: 'RFC 9162 inclusion proof of the event at `leafIndex` in the tree of `treeSize` events' })
  @ApiJsonAnswer(200, InclusionProofDto, 'OK')
  @ApiLedgerProblems(400)
  inclusion(@Query() query: InclusionProofQuery) {
    return this.ledger.inclusion(query.leafIndex, query.treeSize);
  }

  @Get('export')
  @ApiOperation({
    summary: 'The whole log under the latest signed head, as ndjson, for tools/verify-ledger.mjs',
    description: 'One event per line (as history shows it, plus streamId and leafIndex), in leaf order; the last line is { "signedHead": … }.',
  })
  @ApiLedgerExportAnswer()
  async export() {
    return new StreamableFile(await this.ledger.export(), { type: 'application/x-ndjson; charset=utf-8', disposition: 'attachment; filename="ledger.ndjson"' });
  }
}
