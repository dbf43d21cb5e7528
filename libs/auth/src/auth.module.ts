import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@care/core';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { AuthController } from './http/auth.controller';
import { LoginGuard } from './login-guard';
import { RouteGuardCheck } from './route-guard.check';
import { User, UserFacility } from './user.entity';

@Module({
  imports: [
    DiscoveryModule,
    TypeOrmModule.forFeature([User, UserFacility]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // a KeyObject: given a string, jsonwebtoken first tries to parse it as a PEM public key on every
        // sign and verify (an exception each time, ~3 ms of CPU per request)
        secret: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')),
        signOptions: { expiresIn: config.jwtExpiresIn, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, LoginGuard, RouteGuardCheck, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
