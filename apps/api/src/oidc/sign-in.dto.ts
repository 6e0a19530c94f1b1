import { IsOptional, ValidateBy, type ValidationOptions } from 'class-validator';
import { IsHttpUrl, IsText } from '../http/validators.js';

export const CALLBACK_PATH = '/auth/callback';

/** The dashboard's own callback address: `<origin>/auth/callback`, nothing after it (the provider checks it is registered). */
const IsCallbackAddress = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isCallbackAddress',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || value.length > 2048) return false;
          try {
            const url = new URL(value);
            return /^https?:$/.test(url.protocol) && url.pathname === CALLBACK_PATH && !url.search && !url.hash && !url.username && !url.password;
          } catch {
            return false;
          }
        },
        defaultMessage: () => `$property must be the dashboard's <origin>${CALLBACK_PATH}`,
      },
    },
    options,
  );

export class StartSignInDto {
  @IsCallbackAddress()
  redirectUri!: string;
}

export class FinishSignInDto {
  @IsCallbackAddress()
  redirectUri!: string;

  /** The whole address the provider sent the browser back to, with its `code` and `state`. */
  @IsText(4096)
  callbackUrl!: string;

  @IsText(512)
  state!: string;

  @IsText(512)
  nonce!: string;

  @IsText(512)
  codeVerifier!: string;
}

export class SignOutDto {
  /** Where the provider should send the browser after ending its own session. */
  @IsOptional()
  @IsHttpUrl()
  postLogoutRedirectUri?: string;
}
