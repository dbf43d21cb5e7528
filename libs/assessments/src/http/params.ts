import { ParseUUIDPipe } from '@nestjs/common';
import { InvalidInputError } from '@care/core';

/** A path id that must be a UUID: a malformed one is 400 naming the parameter. */
export const uuidParam = (name: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new InvalidInputError(`${name}: must be a UUID`) });
