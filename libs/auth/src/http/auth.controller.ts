import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles, HUMAN_ROLES, type AuthUser } from '@care/core';
import { AuthService } from '../auth.service';
import { CreateUserDto, LoginDto } from '../dto/auth.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in; returns a bearer token' })
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.username, dto.password);
  }

  @Get('auth/me')
  @ApiBearerAuth()
  @Roles(...HUMAN_ROLES)
  me(@CurrentUser() user: AuthUser) {
    return user;
  }

  @Post('users')
  @ApiBearerAuth()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user (admin only); 409 USERNAME_TAKEN' })
  createUser(@Body() dto: CreateUserDto) {
    return this.auth.createUser(dto);
  }

  @Get('users')
  @ApiBearerAuth()
  @Roles('admin')
  async listUsers() {
    const items = await this.auth.listUsers();
    return { items, total: items.length };
  }
}
