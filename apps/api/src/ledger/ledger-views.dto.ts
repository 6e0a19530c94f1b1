import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse, ApiSchema } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi/api-contract.decorators.js';
import { instant, integer } from '../http/openapi/schema-fields.js';

const HEX_SHA256 = '^[0-9a-f]{64}$';
const BASE64 = '^[A-Za-z0-9+/]+={0,2}$';

@ApiSchema({ name: 'LedgerPublicKey', description: "The server's Ed25519 public key, which signs the tree heads" })
export class LedgerPublicKeyDto {
  @ApiProperty({ type: 'string', pattern: HEX_SHA256, description: 'Hex SHA-256 of the SPKI DER' })
  keyId!: string;

  @ApiProperty({ type: 'string', enum: ['Ed25519'] })
  algorithm!: string;

  @ApiProperty({ type: 'string', pattern: BASE64, description: 'Base64 SubjectPublicKeyInfo DER' })
  publicKey!: string;
}

@ApiSchema({
  name: 'SignedTreeHead',
  description:
    'A signed tree head (keep it as a receipt). The signature (Ed25519, base64) covers the UTF-8 text ' +
    '"launch-control/ledger/head/v1\\n<treeSize>\\n<rootHash>\\n<timestamp>\\n<keyId>"; rootHash is the RFC 9162 tree hash over the first treeSize events of the global log.',
})
export class SignedTreeHeadDto {
  @ApiProperty(integer(0, 'Events the tree covers (the first treeSize of the global log)'))
  treeSize!: number;

  @ApiProperty({ type: 'string', pattern: HEX_SHA256, description: 'Hex RFC 9162 tree hash' })
  rootHash!: string;

  @ApiProperty(instant('When it was signed (UTC)'))
  timestamp!: string;

  @ApiProperty({ type: 'string', pattern: HEX_SHA256, description: 'The signing key (LedgerPublicKey.keyId)' })
  keyId!: string;

  @ApiProperty({ type: 'string', pattern: BASE64, description: 'Base64 Ed25519 signature' })
  signature!: string;
}

const PROOF = { type: 'array', items: { type: 'string', pattern: HEX_SHA256 }, description: 'Hex node hashes, in RFC 9162 order' } as const;

@ApiSchema({ name: 'ConsistencyProof', description: 'RFC 9162 consistency proof: the tree of `to` events extends the tree of `from` events' })
export class ConsistencyProofDto {
  @ApiProperty(integer(0))
  from!: number;

  @ApiProperty(integer(0))
  to!: number;

  @ApiProperty(PROOF)
  proof!: string[];
}

@ApiSchema({ name: 'InclusionProof', description: 'RFC 9162 inclusion proof of the event at `leafIndex` in the tree of `treeSize` events' })
export class InclusionProofDto {
  @ApiProperty(integer(0))
  leafIndex!: number;

  @ApiProperty(integer(1))
  treeSize!: number;

  @ApiProperty(PROOF)
  proof!: string[];
}

/** The problems every ledger route can give: 403 for roles other than admin and auditor, 503 with LEDGER=off or before a first signed head. */
export const ApiLedgerProblems = (...more: Array<400>) => ApiProblems(...more, 401, 403, 429, 503);

/** The export: ndjson, one event per line, the signed head last. */
export function ApiLedgerExportAnswer() {
  return applyDecorators(
    ApiResponse({
      status: 200,
      description: 'The log under the latest signed head',
      headers: { 'Content-Disposition': { description: '`attachment; filename="ledger.ndjson"`', schema: { type: 'string' } } },
      content: {
        'application/x-ndjson': {
          schema: {
            type: 'string',
            description: 'One HistoryEvent per line plus its streamId and leafIndex, in leaf order; the last line is { "signedHead": SignedTreeHead }',
          },
        },
      },
    }),
    ApiLedgerProblems(),
  );
}
