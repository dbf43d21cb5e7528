import { Body, Controller, Get, HttpCode, Ip, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CurrentUser, Public, Roles, HUMAN_ROLES, type AuthUser, uuidParam } from '@care/core';
import { AuthService } from '../auth.service';
import {
  ChangeOwnPasswordDto,
  CreateUserDto,
  ListUsersQueryDto,
  LoginDto,
  PasswordChangedView,
  SetPasswordDto,
  UpdateUserDto,
  UserPageView,
  UserView,
} from '../dto/auth.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log in; returns a bearer token',
    description:
      'After 5 failed logins for one username within 15 minutes, or 50 from one client address, every attempt ' +
      '(a correct password included) answers 429 TOO_MANY_ATTEMPTS with Retry-After until the window passes. ' +
      'A success resets the username’s count.',
  })
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_ATTEMPTS, with a Retry-After header (seconds)' })
  @ApiServiceUnavailableResponse({
    description: 'SERVICE_UNAVAILABLE: the login counters (Redis) cannot be reached, or too many logins at once',
  })
  login(@Body() dto: LoginDto, @Ip() address: string) {
    return this.auth.login(dto.username, dto.password, address);
  }

  @Get('auth/me')
  @ApiBearerAuth()
  @Roles(...HUMAN_ROLES)
  me(@CurrentUser() user: AuthUser) {
    return user;
  }

  @Post('auth/password')
  @HttpCode(200)
  @ApiBearerAuth()
  @Roles(...HUMAN_ROLES)
  @ApiOperation({
    summary: 'Change one’s own password',
    description:
      'Ends every token of the user, the one of this request too, and answers a fresh token (extra). A wrong ' +
      'currentPassword is 400 WRONG_PASSWORD and counts as a failed login of the username.',
  })
  @ApiOkResponse({ type: PasswordChangedView })
  changeOwnPassword(@CurrentUser() user: AuthUser, @Body() dto: ChangeOwnPasswordDto) {
    return this.auth.changeOwnPassword(user, dto.currentPassword, dto.newPassword);
  }

  @Post('users')
  @ApiBearerAuth()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user (admin only); 409 USERNAME_TAKEN' })
  @ApiCreatedResponse({ type: UserView })
  @ApiConflictResponse({ description: 'USERNAME_TAKEN' })
  createUser(@Body() dto: CreateUserDto) {
    return this.auth.createUser(dto);
  }

  @Get('users')
  @ApiBearerAuth()
  @Roles('admin')
  @ApiOperation({ summary: 'Users by username (admin only), filtered by role, part of the username, active' })
  @ApiOkResponse({ type: UserPageView })
  listUsers(@Query() query: ListUsersQueryDto) {
    return this.auth.listUsers(query);
  }

  @Patch('users/:id')
  @ApiBearerAuth()
  @Roles('admin')
  @ApiOperation({
    summary: 'Change a user’s role, facilities, caregiver or active flag (admin only)',
    description:
      'A role change or deactivation ends the user’s tokens (401 within 5 s). 409 CANNOT_DEACTIVATE_SELF, ' +
      'CANNOT_CHANGE_OWN_ROLE, LAST_ACTIVE_ADMIN.',
  })
  @ApiOkResponse({ type: UserView })
  updateUser(@CurrentUser() caller: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateUserDto) {
    return this.auth.updateUser(caller, id, dto);
  }

  @Post('users/:id/password')
  @HttpCode(204)
  @ApiBearerAuth()
  @Roles('admin')
  @ApiOperation({ summary: 'Set a user’s password (admin only); ends the user’s tokens' })
  @ApiNoContentResponse()
  setPassword(@Param('id', uuidParam('id')) id: string, @Body() dto: SetPasswordDto) {
    return this.auth.setPassword(id, dto.password);
  }
}
