export * from './auth.module';
export { AuthService, CAREGIVER_LOOKUP, type CaregiverLookup } from './auth.service';
export * from './user.entity';
export { hashPassword } from './rules/password';
