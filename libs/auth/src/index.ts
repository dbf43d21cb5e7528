export * from './auth.module';
export { AuthService, AUTH_USER_CACHE_MS, CAREGIVER_LOOKUP, type CaregiverLookup } from './auth.service';
export { LoginGuard, LoginUnavailableError, TooManyAttemptsError } from './login-guard';
export * from './user.entity';
export { hashPassword, passwordProblem } from './rules/password';
export type { UserView } from './dto/auth.dto';
